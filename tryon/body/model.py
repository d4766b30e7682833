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

_J = {name: index for index, name in enumerate(JOINT_NAMES)}
_TORSO_BONES = (
    "pelvis",
    "spine",
    "chest",
    "neck",
    "head",
    "left_clavicle",
    "right_clavicle",
    "left_shoulder",
    "right_shoulder",
    "left_hip",
    "right_hip",
)
# Bones allowed to move the vertices of each part.
_PART_BONES = {
    TORSO: _TORSO_BONES,
    LEFT_ARM: ("chest", "left_clavicle", "left_shoulder", "left_elbow", "left_wrist"),
    RIGHT_ARM: (
        "chest",
        "right_clavicle",
        "right_shoulder",
        "right_elbow",
        "right_wrist",
    ),
    LEFT_LEG: ("pelvis", "left_hip", "left_knee", "left_ankle"),
    RIGHT_LEG: ("pelvis", "right_hip", "right_knee", "right_ankle"),
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
    vertices: np.ndarray, parts: np.ndarray, joints: np.ndarray, bone_ends: np.ndarray
) -> np.ndarray:
    """Smooth linear-blend skin weights from distances to the bones.

    Each vertex is influenced by the bones allowed for its part; a bone's
    weight falls off as a Gaussian of how much farther it is than the
    nearest allowed bone (``SKIN_BLEND`` wide), so weights blend smoothly
    near joints and are 1 along the middle of a limb.

    Args:
        vertices: (V, 3) rest pose.
        parts: (V,) part of each vertex.
        joints, bone_ends: (J, 3) bone segments.

    Returns:
        (V, J) float32 weights, rows summing to 1.
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
    return weights.astype(np.float32)


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
        mannequin.vertices, mannequin.parts, mannequin.joints, mannequin.bone_ends
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
