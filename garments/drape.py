"""Draping: a garment from its rest pose onto a posed body, then settled.

The chain for one garment on one body:

1. The garment at rest (canonical frame, on the canonical mannequin),
   already graded to the wanted size (:func:`garments.grading.grade`),
   and its :class:`~garments.binding.Binding` to the canonical mannequin.
2. Carried onto this body's shape with the binding (same topology as the
   mannequin): where this body is bigger the garment's ease is taken up
   first, then it is stretched over the body; where it is smaller the
   garment keeps its size (:meth:`garments.binding.Binding.carry`).
3. Posed by linear blend skinning, with each garment vertex's weights
   interpolated from the body surface point it is bound to.
4. Pushed out of the posed body where skinning sank it, then settled by
   the cloth solver against the body's collider, gravity along the body's
   down direction, rest lengths from the graded rest garment: a garment
   too small for this body stays stretched, a big one hangs loose.
5. Brought back to this body's rest frame by inverting the skinning, for
   the fit measures (:mod:`garments.fit`), which are taken at rest.

A warm start (video) reuses the previous frame's settled garment: it is
re-skinned from the previous rest-frame shape with the new joint
transforms and settled for a few iterations only.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import torch
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from garments.binding import Binding, bind
from garments.cloth import (
    ClothSolver,
    Fabric,
    SettleResult,
    SolverSettings,
    mesh_edges,
)
from garments.cloth.metrics import vertex_strain
from garments.grading import grade

if TYPE_CHECKING:
    from garments.colliders import Collider

__all__ = [
    "DrapeBody",
    "DrapeResult",
    "DrapeSettings",
    "LinearisedCollider",
    "SizedGarment",
    "asset_binding",
    "drape",
    "garment_skin_weights",
    "hold_vertices",
    "size_garment",
    "skin_points",
    "unskin_points",
]

logger = logging.getLogger(__name__)

GRAVITY = 9.81  # m/s^2


@dataclass(frozen=True)
class DrapeBody:
    """The body a garment is draped on.

    Attributes:
        rest_vertices: (Vb, 3) this body's shape at rest (A-pose),
            canonical frame, metres; same topology as the mannequin the
            garment is bound to.
        skin_weights: (Vb, J) linear blend skinning weights, rows sum to 1.
        joint_transforms: (J, 4, 4) maps from rest canonical coordinates to
            the target frame (camera frame for a photo), per joint.
        collider: the posed body in the target frame (``query(points)``
            gives signed distance and normals), or None for no collisions.
        down: (3,) unit gravity direction in the target frame.
    """

    rest_vertices: np.ndarray
    skin_weights: np.ndarray
    joint_transforms: np.ndarray
    collider: Collider | None
    down: np.ndarray = field(default_factory=lambda: np.array([0.0, -1.0, 0.0]))

    @classmethod
    def at_rest(cls, rest_vertices: np.ndarray, collider: Collider | None) -> DrapeBody:
        """A body left in its rest pose (one joint, identity transform)."""
        return cls(
            rest_vertices=np.asarray(rest_vertices, dtype=np.float64),
            skin_weights=np.ones((len(rest_vertices), 1)),
            joint_transforms=np.eye(4)[None],
            collider=collider,
        )


@dataclass(frozen=True)
class DrapeSettings:
    """How hard the drape works.

    Attributes:
        solver: solver settings for a cold start (gravity is replaced by
            the body's down direction).
        warm_iterations: substep cap for a warm start from a previous
            result (video frames).
        collider_reach: metres a vertex may move before the body collider
            is asked again (see :class:`LinearisedCollider`).
        attachment_targets: whether the asset's anchor vertices (neckline,
            waistband) are held to their skinned positions.
        weight_smoothing: rounds of averaging the interpolated skinning
            weights over garment edges (keeps skirts from tearing between
            the legs).
    """

    solver: SolverSettings = SolverSettings(max_iterations=60, min_iterations=20)
    warm_iterations: int = 20
    collider_reach: float = 0.006
    attachment_targets: bool = True
    weight_smoothing: int = 2


@dataclass(frozen=True)
class DrapeResult:
    """A garment settled on a body.

    Attributes:
        vertices: (V, 3) float32 settled garment in the target frame, m.
        rest_frame_vertices: (V, 3) float32 the same garment brought back
            to this body's rest canonical frame (for fit measures).
        strain: (V,) float32 per-vertex stretch (length over graded rest
            length minus 1, mean of the vertex's edges).
        settle: the solver's account (iterations, residual, converged).
        timings_ms: milliseconds per stage: carry, skin, collide, setup
            (solver construction), settle, unskin, total.
        skin_weights: (V, J) float64 weights used for the garment.
        penetration_ratio: share of the settled vertices inside the body
            by its collider (0 without a collider).
        solver: the cloth solver, reused (and advanced) by the next warm
            start from this result; do not warm-start twice from one result
            at the same time.
    """

    vertices: np.ndarray
    rest_frame_vertices: np.ndarray
    strain: np.ndarray
    settle: SettleResult
    timings_ms: dict[str, float]
    skin_weights: np.ndarray = field(repr=False)
    penetration_ratio: float = 0.0
    solver: ClothSolver | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class SizedGarment:
    """A garment graded to one size and bound to the mannequin.

    Attributes:
        size: the size label.
        rest_vertices: (V, 3) float32 graded rest shape, canonical frame.
        binding: ``rest_vertices`` bound to the mannequin.
    """

    size: str
    rest_vertices: np.ndarray
    binding: Binding


def size_garment(
    rest_vertices: np.ndarray,
    faces: np.ndarray,
    size_chart: Mapping[str, Mapping[str, float]],
    base_size: str,
    size: str,
    mannequin_vertices: np.ndarray,
    mannequin_faces: np.ndarray,
    mannequin_anchors: Mapping[str, object],
    *,
    base_binding: Binding | None = None,
) -> SizedGarment:
    """Grade a garment to ``size`` and bind it to the mannequin.

    The first two steps of a drape; cache the result per garment and size
    (the mannequin never changes).

    Args:
        rest_vertices: (V, 3) the garment in ``base_size`` on the mannequin.
        faces: (F, 3) int.
        size_chart: {size: {key: cm}}.
        base_size: size of ``rest_vertices``.
        size: the size wanted.
        mannequin_vertices, mannequin_faces: the canonical mannequin.
        mannequin_anchors: its anchors.
        base_binding: the asset's stored binding of the base size, reused
            when ``size`` is the base size (it needs ``body_vertices`` for
            :meth:`~garments.binding.Binding.carry`).

    Returns:
        The :class:`SizedGarment`.

    Raises:
        garments.grading.UnknownSize: the size is not in the chart.
    """
    graded = grade(rest_vertices, size_chart, base_size, size, mannequin_anchors, faces)
    if size == base_size and base_binding is not None:
        binding = base_binding
    else:
        binding = bind(graded, mannequin_vertices, mannequin_faces)
    return SizedGarment(size=size, rest_vertices=graded, binding=binding)


def asset_binding(
    face_index: np.ndarray,
    barycentrics: np.ndarray,
    offsets: np.ndarray,
    mannequin_vertices: np.ndarray,
    mannequin_faces: np.ndarray,
) -> Binding:
    """A :class:`~garments.binding.Binding` from a stored asset's arrays.

    Args:
        face_index: (V,) ``GarmentAsset.binding_faces``.
        barycentrics: (V, 3) ``GarmentAsset.binding_barycentrics``.
        offsets: (V, 3) or (V,) ``GarmentAsset.binding_offsets``.
        mannequin_vertices, mannequin_faces: the mannequin bound to.
    """
    return Binding(
        face_index=face_index,
        barycentrics=barycentrics,
        offsets=offsets,
        body_faces=mannequin_faces,
        body_vertices=mannequin_vertices,
    )


def skin_points(
    points: np.ndarray, weights: np.ndarray, joint_transforms: np.ndarray
) -> np.ndarray:
    """Linear blend skinning of rest points.

    Args:
        points: (P, 3) rest canonical frame, metres.
        weights: (P, J) rows summing to 1.
        joint_transforms: (J, 4, 4) rest canonical -> target frame.

    Returns:
        (P, 3) float64 points in the target frame.
    """
    blended = np.einsum("pj,jab->pab", weights, joint_transforms)  # (P, 4, 4)
    return np.einsum("pab,pb->pa", blended[:, :3, :3], points) + blended[:, :3, 3]


def unskin_points(
    points: np.ndarray, weights: np.ndarray, joint_transforms: np.ndarray
) -> np.ndarray:
    """Inverse of :func:`skin_points`: target-frame points back to rest.

    Args:
        points: (P, 3) target frame, metres.
        weights: (P, J) rows summing to 1.
        joint_transforms: (J, 4, 4) rest canonical -> target frame.

    Returns:
        (P, 3) float64 points in the rest canonical frame.
    """
    blended = np.einsum("pj,jab->pab", weights, joint_transforms)  # (P, 4, 4)
    local = points - blended[:, :3, 3]
    return np.linalg.solve(blended[:, :3, :3], local[:, :, None])[:, :, 0]


def garment_skin_weights(
    binding: Binding,
    body_skin_weights: np.ndarray,
    faces: np.ndarray,
    smoothing: int = 2,
) -> np.ndarray:
    """Skinning weights of the garment, from the body surface it is bound to.

    Args:
        binding: garment vertices bound to the body topology.
        body_skin_weights: (Vb, J) the body's weights.
        faces: (F, 3) garment faces (for smoothing over garment edges).
        smoothing: rounds of averaging each vertex with its neighbours.

    Returns:
        (V, J) float64 weights, rows summing to 1.
    """
    weights = binding.interpolate(body_skin_weights)  # (V, J)
    if smoothing > 0 and weights.shape[1] > 1:
        count = len(weights)
        edges = mesh_edges(faces)  # (E, 2)
        rows = np.concatenate([edges[:, 0], edges[:, 1], np.arange(count)])
        columns = np.concatenate([edges[:, 1], edges[:, 0], np.arange(count)])
        average = coo_matrix(
            (np.ones(len(rows)), (rows, columns)), shape=(count, count)
        ).tocsr()  # (V, V) neighbours and self
        average = average.multiply(1.0 / average.sum(axis=1)).tocsr()
        for _ in range(smoothing):
            weights = average @ weights
    return weights / np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)


class LinearisedCollider:
    """A collider re-queried only where points moved farther than ``reach``.

    Between queries the body surface near each point is taken as the plane
    through the last answer: distance ``d0 + n0 . (p - p0)``, normal
    ``n0``. Points that moved farther than ``reach`` are queried again
    every ``period``-th call, or at once when any moved three times as
    far. The cloth moves millimetres per substep, so most calls cost no
    query, and the others query only the points that moved.

    Args:
        collider: the body's collider (``query(points)``).
        reach: metres a point may move from where it was last queried.
        period: calls between routine re-queries.

    Note:
        On a body surface curved with radius R the plane is off by about
        reach^2 / (2 R) (0.4 mm for 6 mm on a 5 cm limb), inside the
        solver's collision margin.
    """

    def __init__(
        self, collider: Collider, reach: float = 0.006, period: int = 4
    ) -> None:
        self.collider = collider
        self.reach = float(reach)
        self.period = max(int(period), 1)
        self._calls = 0
        self.device = getattr(collider, "device", None)
        self._points: torch.Tensor | None = None
        self._distance: torch.Tensor | None = None
        self._normals: torch.Tensor | None = None

    def query(self, points: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """See ``garments.colliders.Collider.query``."""
        distance, normals = self.query_columns(points.t())
        return distance, normals.t()

    def query_columns(self, columns: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """:meth:`query` with coordinates as rows: (3, N) to (N,), (3, N).

        The cloth solver keeps its positions this way; the plane test is
        then a few row operations.
        """
        if self._points is None or self._points.shape != columns.shape:
            distance, normals = self.collider.query(columns.t())
            self._points = columns.clone()  # (3, N)
            self._distance = distance.clone()  # (N,)
            self._normals = normals.t().contiguous()  # (3, N)
            return distance, self._normals
        self._calls += 1
        travel = columns - self._points  # (3, N)
        squared = (travel * travel).sum(dim=0)  # (N,)
        farthest = float(squared.max()) if len(squared) else 0.0
        due = self._calls % self.period == 0 or farthest > 9.0 * self.reach**2
        if due and farthest > self.reach**2:
            index = (squared > self.reach**2).nonzero()[:, 0]
            moved = columns.index_select(1, index)  # (3, M)
            distance, normals = self.collider.query(moved.t())
            self._points[:, index] = moved
            self._distance[index] = distance
            self._normals[:, index] = normals.t()
            travel = columns - self._points
        offset = (travel * self._normals).sum(dim=0)  # (N,)
        return self._distance + offset, self._normals


def _push_out(
    points: np.ndarray, collider: Collider | None, clearance: float
) -> np.ndarray:
    """Move points found inside (or within ``clearance`` of) the body out."""
    if collider is None:
        return points
    with torch.inference_mode():
        distance, normals = collider.query(torch.as_tensor(points, dtype=torch.float32))
    depth = np.clip(clearance - distance.numpy().astype(np.float64), 0.0, None)
    return points + normals.numpy().astype(np.float64) * depth[:, None]


def _down(vector: np.ndarray) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float64).reshape(3)
    length = float(np.linalg.norm(vector))
    if not length > 0:
        raise ValueError("down must be a non-zero (3,) vector, got (0, 0, 0)")
    return vector / length


def _solver_settings(
    base: SolverSettings, down: np.ndarray, cap: int | None
) -> SolverSettings:
    gravity = tuple(float(g) for g in GRAVITY * down)
    if cap is None:
        return dataclasses.replace(base, gravity=gravity)
    return dataclasses.replace(
        base,
        gravity=gravity,
        max_iterations=cap,
        min_iterations=min(base.min_iterations, cap),
    )


def drape(
    rest_vertices: np.ndarray,
    faces: np.ndarray,
    fabric: Fabric,
    binding: Binding,
    body: DrapeBody,
    *,
    anchor_vertices: np.ndarray | None = None,
    previous: DrapeResult | None = None,
    settings: DrapeSettings = DrapeSettings(),  # noqa: B008
) -> DrapeResult:
    """Drape a graded garment on a body and settle it.

    Args:
        rest_vertices: (V, 3) the garment at rest on the canonical
            mannequin in the wanted size (graded), canonical frame, metres.
            Sets the rest lengths.
        faces: (F, 3) int garment triangles.
        fabric: the garment's fabric.
        binding: ``rest_vertices`` bound to the canonical mannequin
            (:func:`garments.binding.bind`).
        body: this body: rest shape, skinning, pose, collider, down.
        anchor_vertices: (V,) bool vertices held at their skinned positions
            (neckline, waistband), or None.
        previous: the result of the previous frame for a warm start (same
            garment and size), or None for a cold start.
        settings: solver effort.

    Returns:
        The :class:`DrapeResult`.

    Raises:
        ValueError: shapes disagree (garment vs binding, body vs weights).

    Note:
        The default cap of 60 substeps rarely meets the solver's
        convergence tolerances (``settle.converged`` is then False): the
        torso is settled by then (chest, waist and hip ease move by under
        0.5 cm with more substeps), sleeves are still dropping and their
        ease changes by several centimetres. ``rest_frame_vertices`` keep
        what the pose did to the cloth: arms lowered towards the torso
        press the side panels out and add a few centimetres of chest ease.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    rest = np.asarray(rest_vertices, dtype=np.float64)
    if len(binding.face_index) != len(rest):
        raise ValueError(
            f"binding must bind the {len(rest)} garment vertices, "
            f"got {len(binding.face_index)} bound points"
        )
    down = _down(body.down)
    warm = previous is not None and len(previous.vertices) == len(rest)

    # 1. Carry onto this body's shape, or start from the previous frame.
    clock = time.perf_counter()
    if warm:
        weights = previous.skin_weights
        carried = previous.rest_frame_vertices.astype(np.float64)
    else:
        weights = garment_skin_weights(
            binding, body.skin_weights, faces, settings.weight_smoothing
        )
        clearance = fabric.thickness + settings.solver.collision_margin
        if binding.body_vertices is None:
            carried = binding.apply(body.rest_vertices).astype(np.float64)
        else:
            carried = binding.carry(body.rest_vertices, clearance).astype(np.float64)
    timings["carry"] = _ms(clock)

    # 2. Pose by skinning; 3. out of the body before the solver starts.
    clock = time.perf_counter()
    posed = skin_points(carried, weights, body.joint_transforms)  # (V, 3)
    timings["skin"] = _ms(clock)
    clock = time.perf_counter()
    margin = fabric.thickness + settings.solver.collision_margin
    posed = _push_out(posed, body.collider, margin)
    timings["collide"] = _ms(clock)

    # 4. Settle (a warm start reuses the previous frame's solver).
    clock = time.perf_counter()
    cap = settings.warm_iterations if warm else None
    attachments = None
    if settings.attachment_targets and anchor_vertices is not None:
        held = np.flatnonzero(np.asarray(anchor_vertices, dtype=bool))
        if len(held):
            attachments = (held, posed[held].astype(np.float32))
    collider = (
        None
        if body.collider is None
        else LinearisedCollider(body.collider, settings.collider_reach)
    )
    solver = _reusable_solver(previous, down) if warm else None
    if solver is None:
        solver = ClothSolver(
            posed.astype(np.float32),
            faces,
            fabric,
            rest_vertices=rest.astype(np.float32),
            collider=collider,
            attachments=attachments,
            settings=_solver_settings(settings.solver, down, cap),
        )
    else:
        gravity = np.asarray(solver.settings.gravity) / GRAVITY
        solver.settings = _solver_settings(settings.solver, gravity, cap)
        solver.set_collider(collider)
        solver.set_attachments(attachments)
        solver.set_state(posed.astype(np.float32))
    timings["setup"] = _ms(clock)
    clock = time.perf_counter()
    settled = solver.settle()
    timings["settle"] = _ms(clock)

    # 5. Strain against the graded rest; back to the rest frame.
    clock = time.perf_counter()
    strain = vertex_strain(settled.vertices, solver.edges, solver.rest_lengths)
    rest_frame = unskin_points(
        settled.vertices.astype(np.float64), weights, body.joint_transforms
    )
    timings["unskin"] = _ms(clock)
    # A warm frame reads penetration off the solver's linearised collider
    # (within reach^2 / 2R of the body's answer, a fraction of a mm); a
    # cold drape asks the body itself.
    inside = _inside_share(settled.vertices, collider if warm else body.collider)
    timings["total"] = _ms(start)
    logger.info(
        "drape %s vertices (%s): %s substeps, converged %s, %.0f ms",
        len(rest),
        "warm" if warm else "cold",
        settled.iterations,
        settled.converged,
        timings["total"],
    )
    return DrapeResult(
        vertices=settled.vertices.astype(np.float32),
        rest_frame_vertices=rest_frame.astype(np.float32),
        strain=strain,
        settle=settled,
        timings_ms=timings,
        skin_weights=weights,
        penetration_ratio=inside,
        solver=solver,
    )


def _inside_share(vertices: np.ndarray, collider: Collider | None) -> float:
    """Share of ``vertices`` with a negative signed distance."""
    if collider is None or len(vertices) == 0:
        return 0.0
    with torch.inference_mode():
        distance, _ = collider.query(torch.as_tensor(vertices, dtype=torch.float32))
    return float((distance < 0).float().mean())


def _reusable_solver(previous: DrapeResult, down: np.ndarray) -> ClothSolver | None:
    """The previous frame's solver, unless gravity turned more than 10 degrees.

    The solver keeps the gravity it was built with; a body turned that far
    against gravity gets a new solver.
    """
    solver = previous.solver
    if solver is None:
        return None
    before = np.asarray(solver.settings.gravity, dtype=np.float64)
    cosine = float(before @ down) / max(float(np.linalg.norm(before)), 1e-12)
    return solver if cosine > np.cos(np.radians(10.0)) else None


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0


def hold_vertices(
    rest_vertices: np.ndarray, faces: np.ndarray, band: float = 0.03
) -> np.ndarray:
    """Vertices that hold a garment up: the top edge of each piece.

    For garments without stored anchor vertices: the open-boundary
    vertices within ``band`` of the highest point of their connected piece
    (the neckline and shoulders of a top, the waistband of trousers).

    Args:
        rest_vertices: (V, 3) canonical frame, metres, Y up.
        faces: (F, 3) int.
        band: metres below the piece's top that still count.

    Returns:
        (V,) bool.
    """
    vertices = np.asarray(rest_vertices, dtype=np.float64)
    faces = np.asarray(faces, dtype=np.int64)
    pairs = np.sort(
        np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1
    )
    unique, counts = np.unique(pairs, axis=0, return_counts=True)
    boundary = np.zeros(len(vertices), dtype=bool)
    boundary[unique[counts == 1].ravel()] = True
    graph = coo_matrix(
        (np.ones(len(unique)), (unique[:, 0], unique[:, 1])),
        shape=(len(vertices), len(vertices)),
    )
    _, piece = connected_components(graph, directed=False)
    top = np.full(piece.max() + 1, -np.inf)
    np.maximum.at(top, piece, vertices[:, 1])
    return boundary & (vertices[:, 1] >= top[piece] - band)
