"""Binding of garment points to a body surface, like a cage binding.

Each garment point is tied to its closest point on the body surface: the
face it lies over, barycentric coordinates on that face, and the residual
from the surface point to the garment point written in a local frame of the
surface (two tangents and the smoothed normal). Applying the binding to
another body of the same topology (another shape, or the same body posed)
rebuilds the local frames there and puts each garment point back at the
same offset from the surface, so the garment keeps its ease in metres.
The same barycentrics carry per-body-vertex values (skinning weights) to
the garment.

Closest points are found with a k-d tree over face centroids for candidate
faces, then an exact point-triangle distance on every candidate, all in
NumPy; 5k points onto a 14k-face body take a few tens of milliseconds.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

__all__ = [
    "Binding",
    "bind",
    "closest_points_on_mesh",
    "vertex_normals",
    "surface_frames",
]

logger = logging.getLogger(__name__)

# Candidate faces per query point (nearest face centroids).
DEFAULT_CANDIDATES = 8


def _check_points(name: str, array: np.ndarray, columns: int = 3) -> np.ndarray:
    """Return ``array`` as float64 (N, columns) or raise ValueError."""
    array = np.asarray(array)
    if array.ndim != 2 or array.shape[1] != columns:
        raise ValueError(
            f"{name} must have shape (n, {columns}), got {tuple(array.shape)}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got NaN or infinite values")
    return array.astype(np.float64, copy=False)


def _check_faces(faces: np.ndarray, vertex_count: int) -> np.ndarray:
    """Return ``faces`` as int64 (F, 3) or raise ValueError."""
    faces = np.asarray(faces)
    if faces.ndim != 2 or faces.shape[1] != 3 or len(faces) == 0:
        raise ValueError(f"faces must have shape (F, 3), got {tuple(faces.shape)}")
    if faces.min() < 0 or faces.max() >= vertex_count:
        raise ValueError(
            f"faces must index vertices 0..{vertex_count - 1}, "
            f"got {faces.min()}..{faces.max()}"
        )
    return faces.astype(np.int64, copy=False)


def _closest_on_triangles(
    points: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray
) -> np.ndarray:
    """Barycentrics of the closest point on triangles ``abc`` to ``points``.

    Region tests of the classic point-triangle algorithm (Voronoi regions
    of the vertices, edges and the face), vectorised.

    Args:
        points: (N, 3) float64 query points.
        a, b, c: (N, 3) float64 triangle corners, one triangle per point.

    Returns:
        (N, 3) float64 barycentric coordinates (u, v, w) of the closest
        point ``u a + v b + w c``.
    """
    ab = b - a
    ac = c - a
    ap = points - a
    d1 = np.einsum("ij,ij->i", ab, ap)
    d2 = np.einsum("ij,ij->i", ac, ap)
    bp = points - b
    d3 = np.einsum("ij,ij->i", ab, bp)
    d4 = np.einsum("ij,ij->i", ac, bp)
    cp = points - c
    d5 = np.einsum("ij,ij->i", ab, cp)
    d6 = np.einsum("ij,ij->i", ac, cp)
    va = d3 * d6 - d5 * d4
    vb = d5 * d2 - d1 * d6
    vc = d1 * d4 - d3 * d2
    tiny = 1e-30

    # 1. Inside the face: the general case, overwritten below by regions.
    denominator = np.maximum(va + vb + vc, tiny)
    v = vb / denominator
    w = vc / denominator
    bary = np.stack([1.0 - v - w, v, w], axis=1)  # (N, 3)

    # 2. Edge regions (checked from the least to the most specific).
    t_bc = (d4 - d3) / np.maximum((d4 - d3) + (d5 - d6), tiny)
    on_bc = (va <= 0) & (d4 - d3 >= 0) & (d5 - d6 >= 0)
    bary[on_bc] = np.stack([0 * t_bc, 1 - t_bc, t_bc], axis=1)[on_bc]
    t_ac = d2 / np.maximum(d2 - d6, tiny)
    on_ac = (vb <= 0) & (d2 >= 0) & (d6 <= 0)
    bary[on_ac] = np.stack([1 - t_ac, 0 * t_ac, t_ac], axis=1)[on_ac]
    t_ab = d1 / np.maximum(d1 - d3, tiny)
    on_ab = (vc <= 0) & (d1 >= 0) & (d3 <= 0)
    bary[on_ab] = np.stack([1 - t_ab, t_ab, 0 * t_ab], axis=1)[on_ab]

    # 3. Vertex regions.
    bary[(d6 >= 0) & (d5 <= d6)] = (0.0, 0.0, 1.0)
    bary[(d3 >= 0) & (d4 <= d3)] = (0.0, 1.0, 0.0)
    bary[(d1 <= 0) & (d2 <= 0)] = (1.0, 0.0, 0.0)
    return bary


def closest_points_on_mesh(
    points: np.ndarray,
    vertices: np.ndarray,
    faces: np.ndarray,
    *,
    candidates: int = DEFAULT_CANDIDATES,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Closest point on a triangle mesh for every query point.

    Args:
        points: (P, 3) query points, metres.
        vertices: (V, 3) mesh vertices, metres, same frame as ``points``.
        faces: (F, 3) int triangle indices.
        candidates: how many faces (nearest by centroid) are tested exactly
            per point.

    Returns:
        face_index (P,) int64, barycentrics (P, 3) float64, distance (P,)
        float64 in metres (unsigned).

    Raises:
        ValueError: when an array has the wrong shape or indices.

    Note:
        The candidate faces are those with the nearest centroids, so on a
        mesh with very uneven triangle sizes a slightly farther face can be
        chosen; with the default 8 candidates the error stayed under 0.1 mm on body
        meshes.
    """
    points = _check_points("points", points)
    vertices = _check_points("vertices", vertices)
    faces = _check_faces(faces, len(vertices))
    triangles = vertices[faces]  # (F, 3, 3)
    k = int(min(max(candidates, 1), len(faces)))

    # 1. Candidate faces by nearest centroid.
    tree = cKDTree(triangles.mean(axis=1))
    _, candidate = tree.query(points, k=k)
    candidate = np.asarray(candidate).reshape(len(points), k)  # (P, k)

    # 2. Exact closest point on each candidate.
    flat = candidate.ravel()
    repeated = np.repeat(points, k, axis=0)  # (P k, 3)
    tri = triangles[flat]  # (P k, 3, 3)
    bary = _closest_on_triangles(repeated, tri[:, 0], tri[:, 1], tri[:, 2])
    closest = np.einsum("ij,ijk->ik", bary, tri)  # (P k, 3)
    distance = np.linalg.norm(closest - repeated, axis=1).reshape(-1, k)

    # 3. Keep the nearest candidate per point.
    best = np.argmin(distance, axis=1)  # (P,)
    rows = np.arange(len(points)) * k + best
    return flat[rows], bary[rows], distance[np.arange(len(points)), best]


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit vertex normals.

    Args:
        vertices: (V, 3) float, metres.
        faces: (F, 3) int, counter-clockwise seen from outside.

    Returns:
        (V, 3) float64 unit normals (zero-area neighbourhoods get +Y).
    """
    vertices = np.asarray(vertices, dtype=np.float64)
    triangles = vertices[faces]  # (F, 3, 3)
    face_normals = np.cross(
        triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0]
    )  # (F, 3), length = twice the area
    # Sum each face's normal into its three corners (bincount is the fast
    # scatter-add in NumPy).
    corners = np.asarray(faces).ravel()  # (3F,)
    repeated = np.repeat(face_normals, 3, axis=0)  # (3F, 3)
    normals = np.stack(
        [
            np.bincount(corners, repeated[:, axis], minlength=len(vertices))
            for axis in range(3)
        ],
        axis=1,
    )  # (V, 3)
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    normals = np.where(length > 1e-20, normals / np.maximum(length, 1e-20), 0.0)
    normals[length[:, 0] <= 1e-20] = (0.0, 1.0, 0.0)
    return normals


def surface_frames(
    vertices: np.ndarray,
    faces: np.ndarray,
    face_index: np.ndarray,
    barycentrics: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Surface points and local orthonormal frames at barycentric locations.

    The normal is the barycentric blend of the smoothed vertex normals; the
    first tangent is the face's first edge made orthogonal to it.

    Args:
        vertices: (V, 3) body vertices, metres.
        faces: (F, 3) int.
        face_index: (P,) int face per point.
        barycentrics: (P, 3) float.

    Returns:
        origins (P, 3) float64 and frames (P, 3, 3) float64 whose rows are
        tangent, bitangent and normal.
    """
    vertices = np.asarray(vertices, dtype=np.float64)
    corners = faces[face_index]  # (P, 3)
    origins = np.einsum("pi,pij->pj", barycentrics, vertices[corners])
    normals = np.einsum(
        "pi,pij->pj", barycentrics, vertex_normals(vertices, faces)[corners]
    )
    normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-20)
    edge = vertices[corners[:, 1]] - vertices[corners[:, 0]]  # (P, 3)
    tangent = edge - np.einsum("pi,pi->p", edge, normals)[:, None] * normals
    tangent /= np.maximum(np.linalg.norm(tangent, axis=1, keepdims=True), 1e-20)
    bitangent = np.cross(normals, tangent)
    return origins, np.stack([tangent, bitangent, normals], axis=1)


@dataclass(frozen=True)
class Binding:
    """Garment points tied to a body surface.

    Attributes:
        face_index: (P,) int64 body face under each point.
        barycentrics: (P, 3) float64 position on that face.
        offsets: (P, 3) float64 residual from the surface point to the
            garment point in the local frame (tangent, bitangent, normal),
            metres; ``offsets[:, 2]`` is the signed distance along the
            smoothed body normal (positive outside). A (P,) array given
            to the constructor is read as normal offsets only.
        body_faces: (F, 3) int64 faces of the body topology bound to.
        body_vertices: (V, 3) float64 the body bound to, or None (kept by
            :func:`bind`; :meth:`carry` needs it).
    """

    face_index: np.ndarray
    barycentrics: np.ndarray
    offsets: np.ndarray
    body_faces: np.ndarray
    body_vertices: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # Normalise stored arrays; (P,) offsets are taken as normal offsets
        # (the form a garment asset keeps), with no tangential residual.
        offsets = np.asarray(self.offsets, dtype=np.float64)
        if offsets.ndim == 1:
            offsets = np.stack(
                [np.zeros_like(offsets), np.zeros_like(offsets), offsets], axis=1
            )
        if offsets.shape != (len(self.face_index), 3):
            raise ValueError(
                f"offsets must have shape (P,) or (P, 3) with P = "
                f"{len(self.face_index)}, got {offsets.shape}"
            )
        object.__setattr__(self, "offsets", offsets)
        object.__setattr__(
            self, "face_index", np.asarray(self.face_index, dtype=np.int64)
        )
        object.__setattr__(
            self, "barycentrics", np.asarray(self.barycentrics, dtype=np.float64)
        )
        object.__setattr__(
            self, "body_faces", np.asarray(self.body_faces, dtype=np.int64)
        )
        if self.body_vertices is not None:
            object.__setattr__(
                self,
                "body_vertices",
                np.asarray(self.body_vertices, dtype=np.float64),
            )

    @property
    def normal_offset(self) -> np.ndarray:
        """(P,) signed offset along the body normal, metres."""
        return self.offsets[:, 2]

    def apply(self, body_vertices: np.ndarray) -> np.ndarray:
        """Carry the bound points onto a body of the same topology.

        Args:
            body_vertices: (V, 3) vertices of a body with the faces bound
                to (another shape or pose), metres, any frame.

        Returns:
            (P, 3) float32 garment points in the frame of ``body_vertices``.

        Raises:
            ValueError: when ``body_vertices`` does not fit the topology.
        """
        body_vertices = _check_points("body_vertices", body_vertices)
        if self.body_faces.max() >= len(body_vertices):
            raise ValueError(
                "body_vertices must have the bound body's topology, got "
                f"{len(body_vertices)} vertices for faces up to "
                f"{self.body_faces.max()}"
            )
        origins, frames = surface_frames(
            body_vertices, self.body_faces, self.face_index, self.barycentrics
        )
        points = origins + np.einsum("pk,pkj->pj", self.offsets, frames)
        return points.astype(np.float32)

    def carry(self, body_vertices: np.ndarray, clearance: float = 0.0) -> np.ndarray:
        """Carry onto another body shape, keeping the garment's own girth.

        Like :meth:`apply`, but where the new body's surface stands out
        farther horizontally than the bound body's, the normal offset is
        reduced by that much (the bigger body takes up the ease), and where
        it stands back, the offset grows (a smaller body leaves the garment
        its size). Offsets never fall below ``clearance`` (or the bound
        offset, if that was smaller), so a garment too small for the body
        comes out stretched over it. Vertical surface motion (a taller
        body's shoulders) is followed as in :meth:`apply`.

        Args:
            body_vertices: (V, 3) the new body shape at rest, canonical
                frame (Y up), metres, same topology.
            clearance: metres kept between garment and body.

        Returns:
            (P, 3) float32 garment points on the new body.

        Raises:
            ValueError: the binding has no ``body_vertices`` or the new body
                does not fit the topology.
        """
        if self.body_vertices is None:
            raise ValueError(
                "carry needs the bound body's vertices; bind with bind() or "
                "pass body_vertices to Binding"
            )
        body_vertices = _check_points("body_vertices", body_vertices)
        origins, frames = surface_frames(
            body_vertices, self.body_faces, self.face_index, self.barycentrics
        )
        before, _ = surface_frames(
            self.body_vertices, self.body_faces, self.face_index, self.barycentrics
        )
        across = frames[:, 2].copy()
        across[:, 1] = 0.0  # horizontal part of the normal
        growth = np.einsum("pj,pj->p", origins - before, across)  # (P,)
        offsets = self.offsets.copy()
        floor = np.minimum(offsets[:, 2], clearance)
        offsets[:, 2] = np.maximum(offsets[:, 2] - growth, floor)
        points = origins + np.einsum("pk,pkj->pj", offsets, frames)
        return points.astype(np.float32)

    def interpolate(self, values: np.ndarray) -> np.ndarray:
        """Carry per-body-vertex values to the bound points.

        Args:
            values: (V, K) or (V,) values on the body vertices (for example
                skinning weights (V, J)).

        Returns:
            (P, K) (or (P,)) float64 barycentric blends of the values.
        """
        values = np.asarray(values, dtype=np.float64)
        corners = self.body_faces[self.face_index]  # (P, 3)
        if values.ndim == 1:
            return np.einsum("pi,pi->p", self.barycentrics, values[corners])
        return np.einsum("pi,pik->pk", self.barycentrics, values[corners])


def bind(
    points: np.ndarray,
    body_vertices: np.ndarray,
    body_faces: np.ndarray,
    *,
    candidates: int = DEFAULT_CANDIDATES,
) -> Binding:
    """Bind points (garment vertices) to the closest body surface points.

    Args:
        points: (P, 3) garment vertices, metres, in the body's frame.
        body_vertices: (V, 3) body vertices, metres.
        body_faces: (F, 3) int body triangles, counter-clockwise from
            outside (the normal offset is positive outside).
        candidates: faces tested exactly per point (see
            :func:`closest_points_on_mesh`).

    Returns:
        The :class:`Binding`; ``binding.apply(body_vertices)`` gives back
        ``points`` (to rounding).

    Raises:
        ValueError: when an array has the wrong shape or indices.
    """
    start = time.perf_counter()
    points = _check_points("points", points)
    body_vertices = _check_points("body_vertices", body_vertices)
    body_faces = _check_faces(body_faces, len(body_vertices))
    face_index, barycentrics, _ = closest_points_on_mesh(
        points, body_vertices, body_faces, candidates=candidates
    )
    origins, frames = surface_frames(
        body_vertices, body_faces, face_index, barycentrics
    )
    offsets = np.einsum("pkj,pj->pk", frames, points - origins)  # (P, 3)
    logger.debug(
        "bound %s points to %s faces in %.1f ms",
        len(points),
        len(body_faces),
        (time.perf_counter() - start) * 1000.0,
    )
    return Binding(
        face_index=face_index,
        barycentrics=barycentrics,
        offsets=offsets,
        body_faces=body_faces,
        body_vertices=body_vertices.copy(),
    )
