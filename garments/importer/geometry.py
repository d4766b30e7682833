"""Mesh geometry for the importer: units, axes, pieces, openings, winding.

Pure functions on vertex and face arrays (no garment or catalog logic).
"""

from __future__ import annotations

import numpy as np

from garments.errors import MeshImportError

__all__ = [
    "GARMENT_EXTENT",
    "MAX_SIM_VERTICES",
    "MIN_SIM_VERTICES",
    "UNITS",
    "border_vertices",
    "connected_pieces",
    "count_openings",
    "degenerate_faces",
    "detect_units",
    "detect_up_axis",
    "is_upside_down",
    "join_dress",
    "moving_average",
    "opening_loops",
    "orient_outward",
    "sim_resolution",
    "to_canonical",
]

UNITS = {"m": 1.0, "dm": 0.1, "cm": 0.01, "mm": 0.001}

# Largest extent of a garment on a person, metres (a glove to a gown).
GARMENT_EXTENT = (0.25, 2.5)
TYPICAL_EXTENT = 0.8

# Simulation mesh resolution, vertices.
MIN_SIM_VERTICES = 1500
MAX_SIM_VERTICES = 5000


def detect_units(vertices: np.ndarray, name: str) -> str:
    """The unit in which the mesh has the size of a garment.

    Header claims are not trusted: only the size of the thing decides.

    Raises:
        MeshImportError: no unit makes it garment-sized.
    """
    extent = float(np.ptp(vertices, axis=0).max())
    fits = {
        unit: abs(np.log(extent * scale / TYPICAL_EXTENT))
        for unit, scale in UNITS.items()
        if GARMENT_EXTENT[0] <= extent * scale <= GARMENT_EXTENT[1]
    }
    if not fits:
        raise MeshImportError(
            f"{name}: the mesh is {extent:.3g} units across, not garment-sized "
            "in m, dm, cm or mm; give --units if it is a garment"
        )
    return min(fits, key=fits.get)


def detect_up_axis(vertices: np.ndarray) -> str:
    """ "y" or "z": a garment on a person is taller than it is deep."""
    extent = np.ptp(vertices, axis=0)
    return "z" if extent[2] > extent[1] else "y"


def to_canonical(vertices: np.ndarray, units: str, up: str) -> np.ndarray:
    """Scale to metres and turn Z-up into Y-up (front -Y becomes +Z)."""
    scaled = vertices * UNITS[units]
    if up == "z":
        scaled = np.column_stack([scaled[:, 0], scaled[:, 2], -scaled[:, 1]])
    return scaled


def degenerate_faces(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(M,) bool: triangles with a repeated corner or no area."""
    repeated = (
        (faces[:, 0] == faces[:, 1])
        | (faces[:, 1] == faces[:, 2])
        | (faces[:, 2] == faces[:, 0])
    )
    corners = vertices[faces]
    area = np.linalg.norm(
        np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]), axis=1
    )
    return repeated | (area < 1e-12)


def connected_pieces(faces: np.ndarray, count: int) -> list[np.ndarray]:
    """Face indices of each connected piece (sharing vertices), largest first."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rows = np.repeat(np.arange(len(faces)), 3)
    graph = coo_matrix((np.ones(len(rows)), (rows, faces.ravel())), (len(faces), count))
    adjacency = graph @ graph.T
    _, labels = connected_components(adjacency, directed=False)
    pieces = [np.flatnonzero(labels == k) for k in np.unique(labels)]
    return sorted(pieces, key=len, reverse=True)


def border_vertices(faces: np.ndarray) -> np.ndarray:
    """Vertices on an edge used by one triangle only."""
    edges = np.sort(
        np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1
    )
    unique, uses = np.unique(edges, axis=0, return_counts=True)
    return np.unique(unique[uses == 1])


def join_dress(
    pieces: list[np.ndarray], vertices: np.ndarray, faces: np.ndarray
) -> tuple[list[np.ndarray], bool]:
    """Join a skirt to the bodice it hangs from, making a dress.

    A piece with two openings (a tube: a skirt) whose waist lies inside the
    lower edge of a piece above it that has sleeves or a neckline (three
    or more openings) is one garment with it.

    Returns:
        the pieces, and whether a skirt was joined.
    """
    spans = [vertices[np.unique(faces[p])][:, 1] for p in pieces]
    openings = [count_openings(faces[p]) for p in pieces]
    for j, skirt in enumerate(spans):
        if openings[j] != 2:
            continue
        for i, bodice in enumerate(spans):
            if i == j or openings[i] < 3 or bodice.max() <= skirt.max():
                continue
            if bodice.min() < skirt.max() < bodice.min() + 0.15:
                joined = np.concatenate([pieces[i], pieces[j]])
                rest = [p for k, p in enumerate(pieces) if k not in (i, j)]
                return sorted([joined, *rest], key=len, reverse=True), True
    return pieces, False


def count_openings(faces: np.ndarray) -> int:
    """Boundary loops of a triangle mesh (neckline, hem, cuffs, legs...)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges = np.sort(
        np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1
    )
    unique, uses = np.unique(edges, axis=0, return_counts=True)
    border = unique[uses == 1]
    if len(border) == 0:
        return 0
    nodes, local = np.unique(border, return_inverse=True)
    local = local.reshape(-1, 2)
    graph = coo_matrix(
        (np.ones(len(local)), (local[:, 0], local[:, 1])), (len(nodes), len(nodes))
    )
    return int(connected_components(graph, directed=False)[0])


def opening_loops(vertices: np.ndarray, faces: np.ndarray) -> list[tuple[float, float]]:
    """Each boundary loop's mean height (y) and length, metres."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges = np.sort(
        np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1
    )
    unique, uses = np.unique(edges, axis=0, return_counts=True)
    border = unique[uses == 1]
    if len(border) == 0:
        return []
    nodes, local = np.unique(border, return_inverse=True)
    local = local.reshape(-1, 2)
    graph = coo_matrix(
        (np.ones(len(local)), (local[:, 0], local[:, 1])), (len(nodes), len(nodes))
    )
    _, labels = connected_components(graph, directed=False)
    lengths = np.linalg.norm(
        vertices[border[:, 0]] - vertices[border[:, 1]], axis=1
    )  # (E,)
    loops = []
    for label in np.unique(labels):
        members = nodes[labels == label]
        length = float(lengths[labels[local[:, 0]] == label].sum())
        loops.append((float(vertices[members, 1].mean()), length))
    return loops


def is_upside_down(vertices: np.ndarray, faces: np.ndarray) -> bool:
    """Whether a garment (Y up) hangs the wrong way up, judged by its openings.

    Trousers and shorts (three openings) have their longest opening, the
    waist, on top; tops, dresses and skirts have their longest, the hem,
    at the bottom.
    """
    loops = opening_loops(vertices, faces)
    if len(loops) < 2:
        return False
    longest = max(range(len(loops)), key=lambda k: loops[k][1])
    others = np.mean([y for k, (y, _) in enumerate(loops) if k != longest])
    if len(loops) == 3:
        return loops[longest][0] < others
    return loops[longest][0] > others


def orient_outward(
    vertices: np.ndarray, faces: np.ndarray
) -> tuple[np.ndarray, int, bool]:
    """Consistent winding with outward normals.

    Returns:
        faces, how many were flipped to agree, and whether all were then
        turned outward.
    """
    import trimesh

    mesh = trimesh.Trimesh(vertices, faces, process=False)
    before = mesh.faces.copy()
    trimesh.repair.fix_winding(mesh)
    fixed = np.asarray(mesh.faces)
    flipped = int(np.any(fixed != before, axis=1).sum())
    # Outward: normals point away from the vertical axis of the garment.
    centre = (vertices.min(axis=0) + vertices.max(axis=0)) / 2
    away = mesh.triangles_center - centre
    away[:, 1] = 0.0
    outward = np.einsum("fk,fk->f", mesh.face_normals, away) * mesh.area_faces
    turned = bool(outward.sum() < 0)
    if turned:
        fixed = fixed[:, [0, 2, 1]]
    return fixed, flipped, turned


def sim_resolution(
    vertices: np.ndarray, faces: np.ndarray
) -> tuple[np.ndarray, np.ndarray, str | None, bool]:
    """Subdivide small meshes, cluster large ones.

    Returns:
        vertices, faces, what was done (or None), and whether the original
        vertices are still the first ones (so the render map holds).
    """
    import trimesh

    done = None
    steps = 0
    while len(vertices) < MIN_SIM_VERTICES and len(faces) * 4 <= 2 * MAX_SIM_VERTICES:
        vertices, faces = trimesh.remesh.subdivide(vertices, faces)
        steps += 1
    if steps:
        done = f"subdivided {steps} times to {len(vertices)} simulation vertices"
        return vertices, faces, done, True
    if len(vertices) <= MAX_SIM_VERTICES:
        return vertices, faces, None, True
    count = len(vertices)
    extent = float(np.ptp(vertices, axis=0).max())
    cell = extent / 200.0
    while len(vertices) > MAX_SIM_VERTICES:
        keys = np.round(vertices / cell).astype(np.int64)
        _, first, inverse = np.unique(
            keys, axis=0, return_index=True, return_inverse=True
        )
        merged = inverse.ravel()[faces]
        keep = ~degenerate_faces(vertices[first], merged)
        candidate = vertices[first], np.unique(np.sort(merged[keep], axis=1), axis=0)
        if len(candidate[0]) <= MAX_SIM_VERTICES:
            vertices, faces = candidate
            break
        cell *= 1.25
    done = f"decimated from {count} to {len(vertices)} simulation vertices"
    return vertices, faces, done, False


def moving_average(values: np.ndarray, width: int) -> np.ndarray:
    """Moving average over ``width`` samples (shorter at the ends)."""
    kernel = np.ones(min(width, len(values)))
    total = np.convolve(values, kernel, mode="same")
    count = np.convolve(np.ones_like(values), kernel, mode="same")
    return total / count
