"""The body model: mannequin surface, skeleton and skin weights.

``canonical_body()`` is the project's average mannequin; ``build_body``
shapes one from measurements. Both have the same connectivity, vertex
order and skeleton, so anything bound to the canonical mannequin (garment
vertices by face index and barycentric coordinates, say) transfers to any
other body.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import splu

from tryon.body.mannequin import (
    JOINT_NAMES,
    LEFT_ARM,
    LEFT_LEG,
    PARENTS,
    RIGHT_ARM,
    RIGHT_LEG,
    TORSO,
    Mannequin,
    build_mannequin,
)
from tryon.body.shape import CANONICAL_MEASUREMENTS_CM, BodyShape, resolve_shape

__all__ = ["BodyModel", "build_body", "canonical_body", "skin_weights"]

logger = logging.getLogger(__name__)

# Width (metres) of the blend between neighbouring bones' influence.
SKIN_BLEND = 0.03
# Measurements are rounded to this step (cm) before building, so that the
# slightly different measurements of consecutive video frames share one
# cached body.
MEASUREMENT_STEP_CM = 0.5
# Weights below this share are dropped before normalising.
MIN_WEIGHT = 0.02
# Rings of a limb, counted from its junction with the torso (the arm hole's
# rim, the torso's bottom ring and crotch seam), over which the limb's
# weights blend from the torso's bones to the limb's own. The arms' first
# four rings reach about 6 cm along the upper arm, the legs' about 9 cm
# down the thigh from the crotch.
JUNCTION_RINGS = 4
# Passes of neighbour averaging (within each part) that soften the blends
# between a part's bones where rings are closer than ``SKIN_BLEND``.
SMOOTHING_PASSES = 4

_J = {name: index for index, name in enumerate(JOINT_NAMES)}
# Bones allowed to move the vertices of each part: the torso only by the
# spine's chain (and the clavicles), each limb only by its own bones. The
# limbs' first rings blend between the two (``JUNCTION_RINGS``).
_PART_BONES = {
    TORSO: (
        "pelvis",
        "spine",
        "chest",
        "neck",
        "head",
        "left_clavicle",
        "right_clavicle",
    ),
    LEFT_ARM: ("left_shoulder", "left_elbow", "left_wrist"),
    RIGHT_ARM: ("right_shoulder", "right_elbow", "right_wrist"),
    LEFT_LEG: ("left_hip", "left_knee", "left_ankle"),
    RIGHT_LEG: ("right_hip", "right_knee", "right_ankle"),
}


@dataclass(frozen=True, eq=False)
class BodyModel:
    """A mannequin in the rest A-pose, canonical body frame, metres.

    Attributes:
        vertices: (V, 3) float32 surface points (closed, outward faces).
        faces: (F, 3) int64, counter-clockwise seen from outside.
        joints: (J, 3) float32 joint centres.
        parents: (J,) int64 parent joint index, -1 for the pelvis (root).
        joint_names: (J,) names, see ``tryon.body.mannequin.JOINT_NAMES``.
        skin_weights: (V, J) float32, rows sum to 1.
        anchors: body landmarks. Heights (float y) of ``head_top``,
            ``neck``, ``shoulder_top``, ``chest``, ``waist``, ``hips``,
            ``crotch``, ``thigh``, ``knees``, ``ankles`` and ``floor``;
            points ((2, 3) float64, left row then right row) of
            ``shoulders``, ``elbows``, ``wrists`` and ``hip_joints``.
        measurements_cm: the measurements this body realises (keys of
            ``pose.Measurements``; girths are those of the torso rings).
        bone_ends: (J, 3) float32 far end of each joint's bone.
        parts: (V,) int8 part of each vertex (``mannequin.PARTS``).
        shape: the proportions the body was built from.
    """

    vertices: np.ndarray
    faces: np.ndarray
    joints: np.ndarray
    parents: np.ndarray
    joint_names: tuple[str, ...]
    skin_weights: np.ndarray
    anchors: dict
    measurements_cm: dict
    bone_ends: np.ndarray
    parts: np.ndarray
    shape: BodyShape

    @property
    def height_m(self) -> float:
        """Floor to head top, metres."""
        return float(self.anchors["head_top"] - self.anchors["floor"])


def segment_distances(
    points: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """Distances from points to line segments.

    Args:
        points: (P, 3).
        starts, ends: (J, 3) segment end points.

    Returns:
        (P, J) distances, same unit as the inputs.
    """
    along = ends - starts  # (J, 3)
    length2 = np.maximum((along**2).sum(axis=1), 1e-12)  # (J,)
    offsets = points[:, None, :] - starts[None]  # (P, J, 3)
    share = np.clip((offsets * along[None]).sum(axis=2) / length2, 0.0, 1.0)
    nearest = starts[None] + share[..., None] * along[None]  # (P, J, 3)
    return np.linalg.norm(points[:, None, :] - nearest, axis=2)


def skin_weights(
    vertices: np.ndarray,
    parts: np.ndarray,
    joints: np.ndarray,
    bone_ends: np.ndarray,
    faces: np.ndarray | None = None,
) -> np.ndarray:
    """Smooth linear-blend skin weights by body part.

    1. Within a part, each vertex is influenced by the part's own bones
       (``_PART_BONES``: the torso by the spine's chain and clavicles, a
       limb by its own bones); a bone's weight falls off as a Gaussian of
       how much farther it is than the part's nearest bone
       (``SKIN_BLEND`` wide), so weights blend smoothly at the elbows,
       knees, neck, ... and are 1 along the middle of a bone.
    2. With ``faces``, ``SMOOTHING_PASSES`` rounds of averaging with
       neighbours of the same part soften those blends where rings lie
       closer than ``SKIN_BLEND`` (ankles, the trapezius).
    3. With ``faces``, the first ``JUNCTION_RINGS`` rings of each limb
       blend from the torso's weights at the junction to the limb's own:
       harmonic interpolation on the mesh's edges, the torso and the
       rest of the limb held. Torso vertices are never moved by a limb's
       bones, so turning an arm or a leg leaves the chest, the sides and
       the buttocks where they are.

    Args:
        vertices: (V, 3) rest pose.
        parts: (V,) part of each vertex.
        joints, bone_ends: (J, 3) bone segments.
        faces: (F, 3) the surface; None skips steps 2 and 3.

    Returns:
        (V, J) float32 weights, rows summing to 1, non-negative; on the
        mannequin no bone's weight changes by more than about 0.25 along
        an edge.

    Note:
        Without ``faces`` the weights jump from the torso's bones to a
        limb's at the junction ring. The whole turn of a limb is taken up
        by its first rings, so a limb turned far from the A-pose (an arm
        overhead, a deep squat) pinches there, as linear blend skinning
        does at any joint.
    """
    distances = segment_distances(vertices, joints, bone_ends)  # (V, J)
    allowed = np.zeros_like(distances, dtype=bool)
    for part, bones in _PART_BONES.items():
        allowed[np.ix_(parts == part, [_J[name] for name in bones])] = True
    distances = np.where(allowed, distances, np.inf)
    excess = distances - distances.min(axis=1, keepdims=True)
    weights = np.exp(-((excess / SKIN_BLEND) ** 2))
    weights /= weights.sum(axis=1, keepdims=True)
    weights[weights < MIN_WEIGHT] = 0.0
    weights /= weights.sum(axis=1, keepdims=True)
    if faces is not None:
        adjacency = _adjacency(faces, len(weights))  # (V, V)
        weights = _smoothed(weights, parts, adjacency, SMOOTHING_PASSES)
        weights = _blend_junctions(weights, parts, adjacency, JUNCTION_RINGS)
    return weights.astype(np.float32)


def _adjacency(faces: np.ndarray, count: int) -> sparse.csr_matrix:
    """(V, V) symmetric 0/1 matrix of the mesh's edges."""
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    columns = np.concatenate([edges[:, 1], edges[:, 0]])
    matrix = sparse.coo_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(count, count)
    ).tocsr()
    matrix.data[:] = 1.0  # an edge shared by two faces counts once
    return matrix


def _hops_from(
    sources: np.ndarray, adjacency: sparse.csr_matrix, most: int
) -> np.ndarray:
    """(V,) edges from the nearest source vertex, up to ``most`` (farther
    vertices read ``most + 1``)."""
    hops = np.full(len(sources), most + 1, dtype=np.int64)
    hops[sources] = 0
    reached = sources.astype(np.float64)
    for step in range(1, most + 1):
        frontier = (adjacency @ reached > 0.0) & (hops > most)
        hops[frontier] = step
        reached[frontier] = 1.0
    return hops


def _smoothed(
    weights: np.ndarray,
    parts: np.ndarray,
    adjacency: sparse.csr_matrix,
    passes: int,
) -> np.ndarray:
    """Weights (V, J) averaged ``passes`` times with each vertex's
    neighbours of its own part (rows keep summing to 1)."""
    rows, columns = adjacency.nonzero()
    same = parts[rows] == parts[columns]
    within = sparse.coo_matrix(
        (np.ones(same.sum()), (rows[same], columns[same])), shape=adjacency.shape
    ).tocsr() + sparse.identity(len(parts), format="csr")
    averaging = sparse.diags(1.0 / np.asarray(within.sum(axis=1)).ravel()) @ within
    smoothed = weights.astype(np.float64)
    for _ in range(passes):
        smoothed = averaging @ smoothed
    return smoothed


def _blend_junctions(
    weights: np.ndarray,
    parts: np.ndarray,
    adjacency: sparse.csr_matrix,
    rings: int,
) -> np.ndarray:
    """Harmonic weights on the limbs' first ``rings`` rings (see
    :func:`skin_weights`).

    Each free vertex's weights become the mean of its neighbours'
    (uniform graph Laplacian), the torso and the limbs beyond the band
    held: a discrete maximum principle keeps the rows non-negative and
    summing to 1, and the weights change by about 1 / (rings + 1) per
    ring.
    """
    hops = _hops_from(parts == TORSO, adjacency, rings)  # (V,)
    free = (hops >= 1) & (hops <= rings)
    laplacian = sparse.diags(np.asarray(adjacency.sum(axis=1)).ravel()) - adjacency
    inner = laplacian[free][:, free].tocsc()
    coupling = adjacency[free][:, ~free]
    blended = weights.astype(np.float64).copy()  # (V, J)
    blended[free] = splu(inner).solve(coupling @ blended[~free])
    return blended


def _frozen(array: np.ndarray, dtype: type) -> np.ndarray:
    array = np.ascontiguousarray(array, dtype=dtype)
    array.flags.writeable = False
    return array


def _model(shape: BodyShape, mannequin: Mannequin) -> BodyModel:
    """Assemble a BodyModel from a lofted mannequin."""
    measurements = dict(shape.measurements_cm)
    for name, (half_width, half_depth) in mannequin.sections.items():
        measurements[f"{name}_width"] = round(200.0 * half_width, 1)
        measurements[f"{name}_depth"] = round(200.0 * half_depth, 1)
    weights = skin_weights(
        mannequin.vertices,
        mannequin.parts,
        mannequin.joints,
        mannequin.bone_ends,
        faces=mannequin.faces,
    )
    body = BodyModel(
        vertices=_frozen(mannequin.vertices, np.float32),
        faces=_frozen(mannequin.faces, np.int64),
        joints=_frozen(mannequin.joints, np.float32),
        parents=_frozen(PARENTS, np.int64),
        joint_names=JOINT_NAMES,
        skin_weights=_frozen(weights, np.float32),
        anchors=mannequin.anchors,
        measurements_cm=measurements,
        bone_ends=_frozen(mannequin.bone_ends, np.float32),
        parts=_frozen(mannequin.parts, np.int8),
        shape=shape,
    )
    from tryon.body.collider import register_vertices

    register_vertices(body)
    return body


@functools.lru_cache(maxsize=16)
def _cached_body(items: tuple[tuple[str, float], ...]) -> BodyModel:
    start = time.perf_counter()
    shape = resolve_shape(dict(items))
    body = _model(shape, build_mannequin(shape))
    logger.debug(
        "built a body of %d vertices in %.1f ms",
        len(body.vertices),
        (time.perf_counter() - start) * 1000.0,
    )
    return body


def build_body(measurements_cm: Mapping[str, float]) -> BodyModel:
    """A mannequin shaped by a person's measurements.

    Args:
        measurements_cm: any of ``height``, ``shoulder_width``,
            ``chest_girth``, ``chest_width``, ``chest_depth``,
            ``waist_girth``, ``waist_width``, ``waist_depth``,
            ``hip_girth``, ``hip_width``, ``hip_depth``, ``arm_length``,
            ``torso_length``, ``inseam`` (centimetres, as in
            ``pose.Measurements``); unknown keys are ignored.

    Returns:
        The body in the rest A-pose, canonical frame. Measurements are
        rounded to 0.5 cm and bodies cached by them, so asking again (or
        for a video frame's nearly equal measurements) is free.

    Raises:
        BadMeasurement: a value is not a positive number or is outside any
            human range.

    Note:
        Missing keys fall back to typical adult shares of the height (170
        cm if the height is missing). A girth is met exactly; a width is
        kept when a plausible depth reaches the girth, otherwise the
        typical depth-to-width ratio is scaled to the girth. Lengths far
        out of proportion with the height are clamped (and logged).
    """
    known = {"height", "shoulder_width", "arm_length", "torso_length", "inseam"}
    for name in ("chest", "waist", "hip"):
        known |= {f"{name}_girth", f"{name}_width", f"{name}_depth"}
    resolve_shape(measurements_cm)  # refuse bad values as they were given
    items = tuple(
        sorted(
            (key, _quantised(value))
            for key, value in measurements_cm.items()
            if key in known and value is not None
        )
    )
    return _cached_body(items)


def _quantised(value: object) -> object:
    """A number rounded to ``MEASUREMENT_STEP_CM`` (others pass through to
    be refused with a clear message)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if not np.isfinite(number):
        return value
    return round(number / MEASUREMENT_STEP_CM) * MEASUREMENT_STEP_CM


def canonical_body() -> BodyModel:
    """The canonical mannequin: 170 cm, chest 96, waist 82, hips 100 cm.

    These are the girths of a unisex size M; every other proportion is
    the typical adult share of the height. Garments in the catalog are
    fitted to this body.
    """
    return build_body(CANONICAL_MEASUREMENTS_CM)
