"""Mesh topology for the cloth simulation: edges, hinges, vertex masses."""

from __future__ import annotations

import numpy as np

__all__ = ["mesh_edges", "mesh_hinges", "vertex_masses"]


def mesh_edges(faces: np.ndarray) -> np.ndarray:
    """The unique undirected edges of a triangle mesh.

    Args:
        faces: (F, 3) int vertex indices.

    Returns:
        (E, 2) int64, each row sorted (smaller index first), rows sorted.
    """
    faces = np.asarray(faces, dtype=np.int64)
    pairs = faces[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2)  # (3F, 2)
    count = int(faces.max()) + 1 if faces.size else 0
    keys = np.unique(_edge_keys(pairs, count))  # (E,)
    return np.stack([keys // max(count, 1), keys % max(count, 1)], axis=1)


def _edge_keys(pairs: np.ndarray, count: int) -> np.ndarray:
    """(P,) int64 one number per undirected pair (P, 2): ``min * count + max``.

    Sorting the numbers sorts the pairs as rows, and a one-dimensional
    unique is several times faster than a unique over rows.
    """
    return pairs.min(axis=1) * count + pairs.max(axis=1)


def mesh_hinges(faces: np.ndarray) -> np.ndarray:
    """The interior edges with the two vertices opposite them.

    An edge shared by exactly two triangles is a hinge; edges on a border
    or shared by more than two triangles (non-manifold) are left out. The
    winding of the two triangles does not matter.

    Args:
        faces: (F, 3) int vertex indices.

    Returns:
        (H, 4) int64: the hinge edge (a, b), then the vertex opposite it
        in the first triangle, then the one in the second.
    """
    faces = np.asarray(faces, dtype=np.int64)
    pairs = faces[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2)  # (3F, 2)
    opposite = faces[:, [2, 0, 1]].reshape(-1)  # (3F,)
    count = int(faces.max()) + 1 if faces.size else 0
    _, inverse, counts = np.unique(
        _edge_keys(pairs, count), return_inverse=True, return_counts=True
    )
    inverse = inverse.reshape(-1)
    interior = counts[inverse] == 2
    order = np.argsort(inverse[interior], kind="stable")
    rows = np.flatnonzero(interior)[order].reshape(-1, 2)  # (H, 2) half-edges
    first, second = rows[:, 0], rows[:, 1]
    return np.stack(
        [pairs[first, 0], pairs[first, 1], opposite[first], opposite[second]],
        axis=1,
    )


def vertex_masses(
    vertices: np.ndarray, faces: np.ndarray, density: float
) -> np.ndarray:
    """Lumped vertex masses: a third of each adjacent triangle's mass.

    Args:
        vertices: (V, 3) metres, the rest shape.
        faces: (F, 3) int vertex indices.
        density: kg/m^2.

    Returns:
        (V,) float64, kg. A vertex in no triangle gets the mean mass.
    """
    corners = np.asarray(vertices, dtype=np.float64)[faces]  # (F, 3, 3)
    cross = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    area = 0.5 * np.linalg.norm(cross, axis=1)  # (F,)
    masses = np.zeros(len(vertices))
    np.add.at(masses, np.asarray(faces).reshape(-1), np.repeat(area / 3.0, 3))
    masses *= density
    lonely = masses <= 0
    if lonely.any():
        masses[lonely] = masses[~lonely].mean() if (~lonely).any() else 1e-4
    return masses
