"""Tape-measure girths of a body mesh: horizontal slices, convex hulls."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import ConvexHull

__all__ = ["body_girths_cm", "slice_loops"]

# Girths around the torso axis: (girth name, anchor height).
_TORSO_GIRTHS = (
    ("neck", "neck"),
    ("chest", "chest"),
    ("waist", "waist"),
    ("hips", "hips"),
)


def slice_loops(
    vertices: np.ndarray, faces: np.ndarray, height: float
) -> list[np.ndarray]:
    """Cross-sections of a closed mesh by the horizontal plane y = height.

    Args:
        vertices: (V, 3) metres, Y up.
        faces: (F, 3) vertex indices.
        height: y of the plane, metres.

    Returns:
        One (n, 2) array of x, z points per connected cross-section.
    """
    above = vertices[:, 1] > height  # (V,)
    corners = above[faces]  # (F, 3)
    crossed = corners.any(axis=1) & ~corners.all(axis=1)
    # Each crossed face has two crossed edges; a crossing is named by its edge.
    edge_pairs = []
    for first, second in ((0, 1), (1, 2), (2, 0)):
        a, b = faces[crossed, first], faces[crossed, second]
        edge_pairs.append(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1))
    edges = np.stack(edge_pairs, axis=1)  # (C, 3, 2)
    cuts = above[edges[..., 0]] != above[edges[..., 1]]  # (C, 3)
    cut_edges = edges[cuts].reshape(-1, 2, 2)  # (C, 2, 2): two per face
    unique, inverse = np.unique(cut_edges.reshape(-1, 2), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1, 2)
    y0, y1 = vertices[unique[:, 0], 1], vertices[unique[:, 1], 1]
    share = (height - y0) / (y1 - y0)
    points = vertices[unique[:, 0]] + share[:, None] * (
        vertices[unique[:, 1]] - vertices[unique[:, 0]]
    )
    graph = coo_matrix(
        (np.ones(len(inverse)), (inverse[:, 0], inverse[:, 1])),
        shape=(len(unique), len(unique)),
    )
    count, labels = connected_components(graph, directed=False)
    return [points[labels == label][:, [0, 2]] for label in range(count)]


def _hull_perimeter(points: np.ndarray) -> float:
    """Perimeter of the convex hull of (n, 2) points (a tape measure)."""
    if len(points) < 3:
        return 0.0
    return float(ConvexHull(points).area)  # in 2-D, "area" is the perimeter


def _girth(
    vertices: np.ndarray, faces: np.ndarray, height: float, side: float | None
) -> float:
    """Tape girth in cm of the loop nearest the axis (or on one ``side``)."""
    loops = slice_loops(vertices, faces, height + 1e-6)
    centres = [loop[:, 0].mean() for loop in loops]
    chosen = [
        (abs(centre), loop)
        for centre, loop in zip(centres, loops, strict=True)
        if side is None or centre * side > 0.0
    ]
    if not chosen:
        return float("nan")
    return 100.0 * _hull_perimeter(min(chosen, key=lambda item: item[0])[1])


def body_girths_cm(
    vertices: np.ndarray, faces: np.ndarray, anchors: Mapping[str, float | np.ndarray]
) -> dict[str, float]:
    """Girths of a body mesh in the rest pose, as a tape measure reads them.

    Args:
        vertices: (V, 3) metres, canonical body frame (Y up), rest pose.
        faces: (F, 3) vertex indices of a closed mesh.
        anchors: heights of ``neck``, ``chest``, ``waist``, ``hips`` and
            ``thigh`` (``BodyModel.anchors``).

    Returns:
        ``neck``, ``chest``, ``waist``, ``hips`` and ``thigh`` (the left
        thigh) in centimetres: the perimeter of the convex hull of the
        cross-section around the body's axis (arms, hands and the other leg
        are left out). NaN where the plane misses the body.
    """
    vertices = np.asarray(vertices, dtype=np.float64)
    faces = np.asarray(faces)
    girths = {
        name: _girth(vertices, faces, float(anchors[key]), None)
        for name, key in _TORSO_GIRTHS
    }
    girths["thigh"] = _girth(vertices, faces, float(anchors["thigh"]), 1.0)
    return girths
