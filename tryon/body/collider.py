"""A fast signed-distance collider for a posed body.

The body's signed distance is sampled once per body shape on a grid in
the rest pose (canonical frame), with the skin weights of the nearest
surface. A posed body is then queried without any new sampling:

1. the distance from each query point to every posed bone;
2. candidate bones: those nearly as near as the nearest;
3. each candidate's rest point (inverse joint transform) and the rest
   signed distance there (trilinear);
4. a bone's piece counts only where its rest point is nearest to that
   bone among the bones that move the nearest surface (with an overlap
   band); elsewhere it reads as outside;
5. the union (minimum) over the pieces, the normal from the winning
   piece's rest gradient turned by its bone;
6. near the surface, refinement by inverting linear blend skinning: from
   the winning piece's rest point, fixed-point iterations
   q = (sum_j w_j(q) T_j)^-1 p with the skin weights near q. Where they
   settle, the rest distance at q replaces the rigid piece's, so the
   collider follows the skinned mesh where it bends at joints.

Building a collider for a new pose costs nothing but the transforms; the
grid is cached per body (about half a second to sample on this machine).

Note:
    Where skinning folds the surface (the inside of a sharply bent elbow
    or knee) the inversion does not settle and the rigid pieces answer;
    they differ from the skinned mesh there by up to a few centimetres.
    The grid spacing (2 cm) bounds the detail; fingers are not modelled.
"""

from __future__ import annotations

import functools
import logging
import time
import weakref
from dataclasses import dataclass

import numpy as np
import torch
from scipy.ndimage import distance_transform_edt
from scipy.spatial import cKDTree

from tryon.body.model import BodyModel

__all__ = [
    "BodyCollider",
    "RestField",
    "rest_field",
    "signed_distance_grid",
]

logger = logging.getLogger(__name__)

GRID_SPACING = 0.02  # metres
GRID_MARGIN = 0.06  # metres of space around the body in the grid
OWNERSHIP_OVERLAP = 0.02  # metres a bone's piece reaches past its region
# How fast a piece turns "outside" past its region (so that, inside the
# region, the cut lies 5 x the overlap = 10 cm deep and the distance is
# exact down to that depth).
OWNERSHIP_STEEPNESS = 5.0
CANDIDATE_SLACK = 0.12  # metres: bones this much farther than the nearest skip
UNSKIN_RANGE = 0.06  # metres from the surface where skinning is inverted
UNSKIN_ITERATIONS = 3
UNSKIN_SETTLED = 0.002  # metres: last step below which an inversion settled
OWNERSHIP_RANGE = 0.10  # metres outside the body where bone ownership is kept
OWNER_WEIGHT = 0.01  # skin weight above which a bone may own a grid point
_SAMPLES_PER_EDGE = 3  # surface samples per face edge for near distances
_NEAR_CELLS = 2.5  # grid cells from the surface where distances are refined


@dataclass(frozen=True, eq=False)
class RestField:
    """The rest-pose signed distance of a body, sampled on a grid.

    Attributes:
        corners: (D * H * W, 8, 2) float32, for each grid cell (row
            (z * H + y) * W + x) the values at its 8 corners of the signed
            distance (metres, negative inside) and of the distance to the
            nearest bone.
        gradient: (D * H * W, 3) float32 gradient of the signed distance
            at the grid points (x, y, z).
        lower: (3,) float32, the grid's first corner, metres.
        size: (3,) int64, the grid's point counts W, H, D.
        bone_starts, bone_ends: (J, 3) float32, the bones in the rest
            pose (J = 0 for a rigid, one-piece field).
        skin: (D * H * W, J) float32 skin weights of the surface vertex
            nearest each grid point in and near the body (zero rows
            elsewhere), or None.
    """

    corners: np.ndarray
    gradient: np.ndarray
    lower: np.ndarray
    size: np.ndarray
    bone_starts: np.ndarray
    bone_ends: np.ndarray
    skin: np.ndarray | None = None


def _surface_samples(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(S, 3) points spread evenly over every face (a barycentric lattice)."""
    corners = vertices[faces]  # (F, 3, 3)
    n = _SAMPLES_PER_EDGE
    i, j = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    keep = i + j <= n
    bary = np.stack([i[keep], j[keep], n - i[keep] - j[keep]], axis=1) / n  # (K, 3)
    return np.einsum("kc,fcd->fkd", bary, corners).reshape(-1, 3)


def _grid(vertices: np.ndarray) -> tuple[np.ndarray, tuple[int, int, int]]:
    """Lower corner (3,) and shape (D, H, W) of a grid around ``vertices``."""
    lower = vertices.min(axis=0) - GRID_MARGIN
    counts = np.ceil((vertices.max(axis=0) + GRID_MARGIN - lower) / GRID_SPACING)
    width, rows, depth = (int(c) + 1 for c in counts)
    return lower, (depth, rows, width)


def _ray_hits(
    vertices: np.ndarray, faces: np.ndarray, lower: np.ndarray, shape: tuple
) -> tuple[np.ndarray, np.ndarray]:
    """Where rays along +X through every (z, y) grid line cross the faces.

    Returns:
        (K,) flat ray index (z * H + y) and (K,) x of each crossing.
    """
    depth, rows, _ = shape
    # Rays sit a hair off the grid lines so that none passes through an edge.
    ray_y0, ray_z0 = lower[1] + 1.234e-7, lower[2] + 2.345e-7
    corners = vertices[faces]  # (F, 3, 3)
    y, z = corners[:, :, 1], corners[:, :, 2]  # (F, 3)
    y_first = np.ceil((y.min(axis=1) - ray_y0) / GRID_SPACING).astype(int)
    y_last = np.floor((y.max(axis=1) - ray_y0) / GRID_SPACING).astype(int)
    z_first = np.ceil((z.min(axis=1) - ray_z0) / GRID_SPACING).astype(int)
    z_last = np.floor((z.max(axis=1) - ray_z0) / GRID_SPACING).astype(int)
    ny = np.maximum(y_last - y_first + 1, 0)
    nz = np.maximum(z_last - z_first + 1, 0)

    # 1. every (face, ray) pair whose bounding boxes overlap
    pairs = ny * nz
    face = np.repeat(np.arange(len(faces)), pairs)
    local = np.arange(pairs.sum()) - np.repeat(np.cumsum(pairs) - pairs, pairs)
    ray_y = y_first[face] + local // nz[face]
    ray_z = z_first[face] + local % nz[face]
    py = ray_y0 + ray_y * GRID_SPACING
    pz = ray_z0 + ray_z * GRID_SPACING

    # 2. barycentric coordinates of the ray in the face's y-z shadow
    a, b, c = corners[face, 0], corners[face, 1], corners[face, 2]
    ab_y, ab_z = b[:, 1] - a[:, 1], b[:, 2] - a[:, 2]
    ac_y, ac_z = c[:, 1] - a[:, 1], c[:, 2] - a[:, 2]
    ap_y, ap_z = py - a[:, 1], pz - a[:, 2]
    area = ab_y * ac_z - ac_y * ab_z
    safe = np.where(area == 0.0, 1.0, area)
    wb = (ap_y * ac_z - ac_y * ap_z) / safe
    wc = (ab_y * ap_z - ap_y * ab_z) / safe
    hit = (area != 0.0) & (wb >= 0.0) & (wc >= 0.0) & (wb + wc <= 1.0)
    hit &= (ray_y >= 0) & (ray_y < rows) & (ray_z >= 0) & (ray_z < depth)
    x = a[:, 0] + wb * (b[:, 0] - a[:, 0]) + wc * (c[:, 0] - a[:, 0])
    return (ray_z * rows + ray_y)[hit], x[hit]


def _inside(
    vertices: np.ndarray, faces: np.ndarray, lower: np.ndarray, shape: tuple
) -> np.ndarray:
    """(D, H, W) bool: grid points inside the closed mesh (ray parity)."""
    depth, rows, width = shape
    ray, x = _ray_hits(vertices, faces, lower, shape)
    first_after = np.clip(np.ceil((x - lower[0]) / GRID_SPACING), 0, width)
    crossings = np.zeros((depth * rows, width + 1), dtype=np.int32)
    np.add.at(crossings, (ray, first_after.astype(int)), 1)
    return (np.cumsum(crossings, axis=1)[:, :width] % 2 == 1).reshape(shape)


def signed_distance_grid(
    vertices: np.ndarray, faces: np.ndarray, lower: np.ndarray, shape: tuple
) -> np.ndarray:
    """Signed distances of grid points to a closed mesh.

    1. inside or outside of every grid point by ray parity (exact);
    2. far from the surface: Euclidean distance transform of the inside
       and outside cells (to about half a cell);
    3. near it: the distance to dense surface samples (a few millimetres).

    Args:
        vertices: (V, 3) metres; faces: (F, 3) of a closed mesh.
        lower: (3,) the grid's first corner; shape: (D, H, W).

    Returns:
        (D, H, W) float64 metres, negative inside, indexed [z, y, x].
    """
    inside = _inside(vertices, faces, lower, shape)
    cells = (
        np.where(
            inside, distance_transform_edt(inside), distance_transform_edt(~inside)
        )
        - 0.5
    )  # (D, H, W)
    distance = cells * GRID_SPACING
    near = cells <= _NEAR_CELLS
    index = np.stack(np.nonzero(near), axis=1)[:, ::-1]  # (P, 3) x, y, z
    points = lower + index * GRID_SPACING
    exact, _ = cKDTree(_surface_samples(vertices, faces)).query(
        points, distance_upper_bound=(_NEAR_CELLS + 2.0) * GRID_SPACING
    )
    distance[near] = np.where(np.isfinite(exact), exact, distance[near])
    return np.where(inside, -distance, distance)


def _build_field(
    vertices: np.ndarray,
    faces: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    skin_weights: np.ndarray | None = None,
) -> RestField:
    """Sample the signed distance (and nearest-bone distance) on a grid."""
    start = time.perf_counter()
    lower, shape = _grid(vertices)
    sdf = signed_distance_grid(vertices, faces, lower, shape)  # (D, H, W)
    gradient = np.stack(np.gradient(sdf, GRID_SPACING), axis=-1)[..., ::-1]  # x,y,z
    # Bone ownership matters only in and near the body; far away the pieces
    # read as farther than they are, which no collision notices.
    relevant = sdf < OWNERSHIP_RANGE
    index = np.stack(np.nonzero(relevant), axis=1)[:, ::-1]  # (P, 3) x, y, z
    points = (lower + index * GRID_SPACING).astype(np.float32)
    skin, allowed = None, None
    if skin_weights is not None:
        _, nearest_vertex = cKDTree(vertices).query(points)
        skin = np.zeros((relevant.size, skin_weights.shape[1]), dtype=np.float32)
        skin[np.flatnonzero(relevant)] = skin_weights[nearest_vertex]
        # Only the bones that move the nearest surface own a point: the
        # torso's side is not the upper arm's, however near the arm is.
        allowed = skin_weights[nearest_vertex] > OWNER_WEIGHT  # (P, J)
    nearest_bone = np.zeros(shape, dtype=np.float32)
    nearest_bone[relevant] = _nearest_bone_distance(
        points, starts.astype(np.float32), ends.astype(np.float32), allowed
    )
    table = np.stack([sdf, nearest_bone], axis=-1).astype(np.float32)  # (D, H, W, 2)
    logger.info(
        "sampled a body's signed distance on a %dx%dx%d grid in %.0f ms",
        shape[2],
        shape[1],
        shape[0],
        (time.perf_counter() - start) * 1000.0,
    )
    return RestField(
        corners=_corner_stacks(table),
        gradient=np.ascontiguousarray(gradient.reshape(-1, 3), dtype=np.float32),
        lower=lower.astype(np.float32),
        size=np.array(shape[::-1], dtype=np.int64),
        bone_starts=starts.astype(np.float32),
        bone_ends=ends.astype(np.float32),
        skin=skin,
    )


def _nearest_bone_distance(
    points: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    allowed: np.ndarray | None = None,
) -> np.ndarray:
    """(P,) distance of each point (P, 3) to the nearest bone; 0 if none.

    ``allowed`` (P, J) bool limits each point to some bones (a point with
    none allowed takes every bone).
    """
    nearest = np.full(len(points), np.inf if len(starts) else 0.0, dtype=np.float32)
    fallback = nearest.copy()
    for joint, (start, end) in enumerate(zip(starts, ends, strict=True)):
        along = end - start
        offsets = points - start  # (P, 3)
        share = np.clip(offsets @ along / max(float(along @ along), 1e-12), 0.0, 1.0)
        closest = offsets - share[:, None] * along
        distance = np.sqrt(np.einsum("pk,pk->p", closest, closest))  # (P,)
        fallback = np.minimum(fallback, distance)
        if allowed is not None:
            distance = np.where(allowed[:, joint], distance, np.inf)
        nearest = np.minimum(nearest, distance)
    return np.where(np.isfinite(nearest), nearest, fallback)


def _corner_stacks(table: np.ndarray) -> np.ndarray:
    """(D * H * W, 8, C) the values at the 8 corners of each grid cell.

    Cells on the last row of an axis repeat their face (they are never
    the lower corner of an interpolation).
    """
    padded = np.pad(table, ((0, 1), (0, 1), (0, 1), (0, 0)), mode="edge")
    depth, rows, width = table.shape[:3]
    stacks = [
        padded[dz : dz + depth, dy : dy + rows, dx : dx + width]
        for dz in (0, 1)
        for dy in (0, 1)
        for dx in (0, 1)
    ]
    return np.ascontiguousarray(
        np.stack(stacks, axis=3).reshape(depth * rows * width, 8, table.shape[3])
    )


@functools.lru_cache(maxsize=4)
def rest_field(body: BodyModel) -> RestField:
    """The rest-pose distance field of ``body`` (about 28 MB; the last four
    bodies' fields are cached)."""
    return _build_field(
        body.vertices.astype(np.float64),
        body.faces,
        body.joints.astype(np.float64),
        body.bone_ends.astype(np.float64),
        body.skin_weights,
    )


def _cell_weights(field: RestField, points: np.ndarray):
    """Cell index (M,), corner weights (M, 8) and distance beyond the grid (M,)."""
    limit = (field.size - 1).astype(np.float32) - 1e-3
    cells = (points - field.lower) / np.float32(GRID_SPACING)  # (M, 3)
    clamped = np.minimum(np.maximum(cells, 0.0), limit).astype(np.float32)
    corner = clamped.astype(np.int64)  # (M, 3)
    share = clamped - corner  # (M, 3)
    width, rows = int(field.size[0]), int(field.size[1])
    index = (corner[:, 2] * rows + corner[:, 1]) * width + corner[:, 0]  # (M,)
    x = np.stack([1.0 - share[:, 0], share[:, 0]], axis=1)  # (M, 2)
    y = np.stack([1.0 - share[:, 1], share[:, 1]], axis=1)
    z = np.stack([1.0 - share[:, 2], share[:, 2]], axis=1)
    weights = z[:, :, None, None] * y[:, None, :, None] * x[:, None, None, :]
    beyond = np.linalg.norm(cells - clamped, axis=1) * GRID_SPACING  # (M,)
    return index, weights.reshape(-1, 8), beyond


def _trilinear(field: RestField, points: np.ndarray) -> np.ndarray:
    """Signed distance and nearest-bone distance (M, 2) at rest points (M, 3).

    Beyond the grid, the distance to it is added to the signed distance
    (the field is positive there).
    """
    index, weights, beyond = _cell_weights(field, points)
    values = np.einsum("mk,mkc->mc", weights, field.corners[index])  # (M, 2)
    values[:, 0] += beyond
    return values


def _nearest_point(field: RestField, points: np.ndarray) -> np.ndarray:
    """(M,) row of the grid point nearest each rest point (M, 3)."""
    cells = np.rint((points - field.lower) / np.float32(GRID_SPACING)).astype(np.int64)
    cells = np.clip(cells, 0, field.size - 1)
    width, rows = int(field.size[0]), int(field.size[1])
    return (cells[:, 2] * rows + cells[:, 1]) * width + cells[:, 0]


def _gradient(field: RestField, points: np.ndarray) -> np.ndarray:
    """Rest-frame gradient (M, 3) of the signed distance, nearest grid point."""
    return field.gradient[_nearest_point(field, points)]


# Bodies and posed bodies by the id of their vertex array, so that a
# collider made from ``body.vertices`` or ``posed.vertices`` uses the bones.
_OWNERS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def register_vertices(owner: object) -> None:
    """Remember ``owner`` (a BodyModel or PosedBody) by its vertex array."""
    _OWNERS[id(owner.vertices)] = owner


def _owner_of(vertices: object) -> tuple[RestField, np.ndarray | None] | None:
    """The field and transforms of the body whose vertex array this is."""
    owner = _OWNERS.get(id(vertices))
    if owner is None or owner.vertices is not vertices:
        return None
    if isinstance(owner, BodyModel):
        return rest_field(owner), None
    return rest_field(owner.body), owner.joint_transforms


class BodyCollider:
    """Signed distance to a (posed) body, as ``garments.colliders.Collider``.

    Args:
        vertices: (V, 3) a closed mesh, metres; used only when ``field``
            is None. A ``BodyModel``'s or ``PosedBody``'s own ``vertices``
            array is recognised and its rest field and bones are used (the
            fast path); any other mesh is sampled as one rigid piece
            (about a second for a body-sized mesh).
        faces: (F, 3) its faces.
        field: a body's rest field (``rest_field(body)``), or None.
        joint_transforms: (J, 4, 4) rest canonical to the target frame for
            ``field``'s bones (or (1, 4, 4) for a one-piece field); None
            for the rest pose.

    Raises:
        ValueError: neither a mesh nor a field, or transforms of the wrong
            shape.

    Example:
        >>> collider = BodyCollider.from_posed(posed)
        >>> distance, normals = collider.query(torch.rand(100, 3))
    """

    def __init__(
        self,
        vertices: np.ndarray | None = None,
        faces: np.ndarray | None = None,
        *,
        field: RestField | None = None,
        joint_transforms: np.ndarray | None = None,
    ) -> None:
        if field is None:
            if vertices is None or faces is None:
                raise ValueError("BodyCollider needs vertices and faces, or a field")
            owner = _owner_of(vertices)
            if owner is not None:  # a body's own vertices: use its bones
                field, joint_transforms = owner
            else:
                empty = np.zeros((0, 3))
                field = _build_field(
                    np.asarray(vertices, np.float64), np.asarray(faces), empty, empty
                )
        self.field = field
        pieces = max(len(field.bone_starts), 1)
        if joint_transforms is None:
            joint_transforms = np.tile(np.eye(4), (pieces, 1, 1))
        transforms = np.asarray(joint_transforms, dtype=np.float32)
        if transforms.shape != (pieces, 4, 4):
            raise ValueError(
                f"joint_transforms must have shape ({pieces}, 4, 4), got "
                f"{transforms.shape}"
            )
        self._rotations = np.ascontiguousarray(transforms[:, :3, :3])  # (J, 3, 3)
        self._translations = np.ascontiguousarray(transforms[:, :3, 3])  # (J, 3)
        # The bones in the collider's frame.
        self._posed_starts = (
            np.einsum("jik,jk->ji", self._rotations, field.bone_starts)
            + self._translations[: len(field.bone_starts)]
        ).astype(np.float32)  # (J, 3)
        self._posed_ends = (
            np.einsum("jik,jk->ji", self._rotations, field.bone_ends)
            + self._translations[: len(field.bone_ends)]
        ).astype(np.float32)  # (J, 3)

    @classmethod
    def from_body(
        cls, body: BodyModel, joint_transforms: np.ndarray | None = None
    ) -> BodyCollider:
        """A collider of ``body`` in the rest pose, or posed by the transforms."""
        return cls(field=rest_field(body), joint_transforms=joint_transforms)

    @classmethod
    def from_posed(cls, posed) -> BodyCollider:
        """A collider of a ``PosedBody``, in its camera frame."""
        return cls.from_body(posed.body, posed.joint_transforms)

    def query(self, points: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Signed distance and outward normal at points.

        Args:
            points: (N, 3) float32, metres, the collider's frame.

        Returns:
            (N,) signed distance in metres (negative inside) and (N, 3)
            unit outward normals, float32 tensors.
        """
        points = torch.as_tensor(points).detach().cpu().numpy().astype(np.float32)
        distance, normals = self.query_numpy(points.reshape(-1, 3))
        return torch.from_numpy(distance), torch.from_numpy(normals)

    def query_numpy(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`query` on arrays: (N, 3) to (N,) and (N, 3) float32."""
        points = np.asarray(points, dtype=np.float32)
        field, count = self.field, len(points)
        if len(field.bone_starts) == 0:
            rest = (points - self._translations[0]) @ self._rotations[0]  # (N, 3)
            distance = _trilinear(field, rest)[:, 0]
            normals = _gradient(field, rest) @ self._rotations[0].T
            return distance, _unit_rows(normals)
        # 1. distance to every posed bone (a rigid motion keeps distances)
        to_bone = _bone_distances(
            points, self._posed_starts, self._posed_ends
        )  # (N, J)
        # 2. candidate bones: nearly the nearest
        candidate = to_bone <= to_bone.min(axis=1, keepdims=True) + CANDIDATE_SLACK
        bone, point = np.nonzero(candidate.T)  # (M,), (M,) grouped by bone
        # 3. the candidates' points in their bones' rest coordinates
        rest = _rest_points(points, point, bone, self._rotations, self._translations)
        values = _trilinear(field, rest)  # (M, 2)
        # 4. a piece counts only where its rest point is nearest its bone
        excess = OWNERSHIP_STEEPNESS * (
            to_bone[point, bone] - values[:, 1] - OWNERSHIP_OVERLAP
        )
        pieces = np.full(candidate.shape, np.inf, dtype=np.float32)  # (N, J)
        pieces[point, bone] = np.maximum(values[:, 0], excess)
        # 5. union of the pieces; normal from the winning piece
        every = np.arange(count)
        winner = pieces.argmin(axis=1)  # (N,)
        slot = np.zeros(candidate.shape, dtype=np.int64)
        slot[point, bone] = np.arange(len(point))
        rest_winner = rest[slot[every, winner]]  # (N, 3)
        distance = pieces[every, winner]
        gradient = _gradient(field, rest_winner)  # (N, 3) rest frame
        normals = _apply_3x3(self._rotations[winner], gradient)
        if field.skin is not None:
            self._unskin(points, rest_winner, distance, normals)
        return distance, _unit_rows(normals)

    def _unskin(
        self,
        points: np.ndarray,
        rest: np.ndarray,
        distance: np.ndarray,
        normals: np.ndarray,
    ) -> None:
        """Refine, in place, near the surface: the rest point that linear
        blend skinning carries to each query point.

        Fixed-point iterations q = (sum_j w_j(q) T_j)^-1 p from the winning
        piece's rest point, with the skin weights of the surface nearest
        q. Where they settle, the rest distance there replaces the
        piece's (the skinned surface bends smoothly at joints where the
        rigid pieces leave wedges).
        """
        field = self.field
        near = np.flatnonzero(np.abs(distance) < UNSKIN_RANGE)
        if len(near) == 0:
            return
        p, q = points[near], rest[near]
        for _ in range(UNSKIN_ITERATIONS):
            weights = field.skin[_nearest_point(field, q)]  # (K, J)
            blended = (weights @ self._rotations.reshape(-1, 9)).reshape(-1, 3, 3)
            offset = weights @ self._translations  # (K, 3)
            inverse, determinant = _inverse_3x3(blended)  # (K, 3, 3), (K,)
            usable = (weights.sum(axis=1) > 0.5) & (determinant > 0.1)
            previous = q
            solved = _apply_3x3(inverse, p - offset)
            q = np.where(usable[:, None], solved, q)
        settled = usable & (np.linalg.norm(q - previous, axis=1) < UNSKIN_SETTLED)
        keep = near[settled]
        distance[keep] = _trilinear(field, q[settled])[:, 0]
        # normals turn with the inverse transpose of the blended transform
        normals[keep] = _apply_3x3(
            inverse[settled].transpose(0, 2, 1), _gradient(field, q[settled])
        )


def _rest_points(
    points: np.ndarray,
    point: np.ndarray,
    bone: np.ndarray,
    rotations: np.ndarray,
    translations: np.ndarray,
) -> np.ndarray:
    """Rest coordinates (M, 3) of ``points[point]`` in the frames of ``bone``
    (M,), which must come grouped by bone: one small product per bone."""
    rest = np.empty((len(point), 3), dtype=np.float32)
    ends = np.cumsum(np.bincount(bone, minlength=len(rotations)))
    starts = ends - np.bincount(bone, minlength=len(rotations))
    for joint, (first, last) in enumerate(zip(starts, ends, strict=True)):
        if last > first:
            moved = points[point[first:last]] - translations[joint]
            rest[first:last] = moved @ rotations[joint]
    return rest


def _bone_distances(
    points: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """Distances (N, J) from points (N, 3) to segments (J, 3) -> (J, 3).

    Expanded into dot products so that the work is two small matrix
    products, without (N, J, 3) temporaries.
    """
    along = ends - starts  # (J, 3)
    length2 = np.maximum((along * along).sum(axis=1), 1e-12)  # (J,)
    p_along = points @ along.T - (starts * along).sum(axis=1)  # (N, J): (p - s).a
    share = np.clip(p_along / length2, 0.0, 1.0)  # (N, J)
    p_start = (
        (points * points).sum(axis=1, keepdims=True)
        - 2.0 * points @ starts.T
        + (starts * starts).sum(axis=1)
    )  # (N, J): |p - s|^2
    squared = p_start - 2.0 * share * p_along + share * share * length2
    return np.sqrt(np.maximum(squared, 0.0))


def _inverse_3x3(matrices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverses (K, 3, 3) and determinants (K,) of 3 x 3 matrices (K, 3, 3),
    by cofactors (much faster than a LAPACK call per matrix)."""
    a, b, c = matrices[:, 0], matrices[:, 1], matrices[:, 2]  # rows, (K, 3)
    columns = [_cross(b, c), _cross(c, a), _cross(a, b)]  # of the inverse
    determinant = (a * columns[0]).sum(axis=1)  # (K,)
    safe = np.where(np.abs(determinant) < 1e-9, 1.0, determinant)
    return np.stack(columns, axis=2) / safe[:, None, None], determinant


def _cross(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Row-wise cross products of (K, 3) arrays."""
    return np.stack(
        [
            u[:, 1] * v[:, 2] - u[:, 2] * v[:, 1],
            u[:, 2] * v[:, 0] - u[:, 0] * v[:, 2],
            u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0],
        ],
        axis=1,
    )


def _apply_3x3(matrices: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Row-wise products (K, 3) of matrices (K, 3, 3) and vectors (K, 3)."""
    return (
        matrices[:, :, 0] * vectors[:, 0:1]
        + matrices[:, :, 1] * vectors[:, 1:2]
        + matrices[:, :, 2] * vectors[:, 2:3]
    )


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), float32."""
    lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(lengths, 1e-9)).astype(np.float32)
