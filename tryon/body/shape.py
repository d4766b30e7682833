"""Body proportions in metres, resolved from measurements in centimetres.

Every length the mannequin and its skeleton need is decided here, once:
what the measurements give is used, what they leave out falls back to
typical adult shares of the height (the same shares ``pose.measure``
uses, so that a body built from a photo's measurements has its joints
where the photo's landmarks put them).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass

from tryon.body.errors import BadMeasurement

__all__ = ["BodyShape", "Section", "CANONICAL_MEASUREMENTS_CM", "resolve_shape"]

logger = logging.getLogger(__name__)

# The canonical mannequin: an average adult of 170 cm with the girths of a
# unisex size M (chest 96, waist 82, hips 100 cm).
CANONICAL_MEASUREMENTS_CM: dict[str, float] = {
    "height": 170.0,
    "chest_girth": 96.0,
    "waist_girth": 82.0,
    "hip_girth": 100.0,
}

# Shares of the height (approximate adult averages).
ANKLE_HEIGHT = 0.039
CROTCH_BELOW_HIP_JOINT = 0.06
TRUNK = 0.288  # hip-joint line to shoulder-joint line
ARM = 0.33  # shoulder joint to wrist
UPPER_ARM_SHARE = 0.56  # of the arm length
SHOULDER_BREADTH = 0.235  # outer shoulder to outer shoulder
SHOULDER_BREADTH_PER_JOINTS = 1.15
NECK_ABOVE_SHOULDERS = 0.035
INSEAM = 0.47
# Torso lines along the trunk, from the shoulder line (0) to the hip-joint
# line (1), and typical width share of the height and depth over width.
SECTION_PLACES = {"chest": 0.34, "waist": 0.69, "hip": 1.11}
SECTION_WIDTH = {"chest": 0.182, "waist": 0.175, "hip": 0.205}
SECTION_DEPTH_PER_WIDTH = {"chest": 0.80, "waist": 0.76, "hip": 0.70}

# Plausible human ranges (cm) of each key; outside them the input is wrong.
_RANGES_CM = {
    "height": (100.0, 230.0),
    "shoulder_width": (20.0, 70.0),
    "arm_length": (30.0, 100.0),
    "torso_length": (25.0, 90.0),
    "inseam": (40.0, 110.0),
}
_GIRTH_RANGE_CM = (40.0, 200.0)
_WIDTH_RANGE_CM = (10.0, 80.0)


@dataclass(frozen=True)
class Section:
    """One horizontal torso cross-section.

    Attributes:
        girth: tape-measure perimeter in metres.
        depth_per_width: depth (front to back) over width (side to side).
        width: full width in metres if it was measured, else None.
    """

    girth: float
    depth_per_width: float
    width: float | None = None


@dataclass(frozen=True)
class BodyShape:
    """The proportions of one body, metres.

    Attributes:
        height: floor to head top.
        inseam: floor to crotch.
        trunk: hip-joint line to shoulder-joint line.
        shoulder_joints: distance between the shoulder joint centres.
        upper_arm, forearm: shoulder to elbow, elbow to wrist.
        chest, waist, hip: the torso cross-sections.
        measurements_cm: the measurements the body realises (cm).
    """

    height: float
    inseam: float
    trunk: float
    shoulder_joints: float
    upper_arm: float
    forearm: float
    chest: Section
    waist: Section
    hip: Section
    measurements_cm: dict[str, float]

    @property
    def hip_joint_height(self) -> float:
        """Floor to the hip joints (the canonical origin), metres."""
        return self.inseam + CROTCH_BELOW_HIP_JOINT * self.height


def _number(measurements_cm: Mapping[str, float], key: str) -> float | None:
    """The measurement ``key`` as a float, None when absent."""
    value = measurements_cm.get(key)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadMeasurement(
            f"measurement {key} must be a number of centimetres, got {value!r}; "
            "give a number"
        ) from None
    if not math.isfinite(number) or number <= 0.0:
        raise BadMeasurement(
            f"measurement {key} must be a positive number of centimetres, "
            f"got {value!r}; give a positive number"
        )
    return number


def _checked(key: str, value: float | None, low: float, high: float) -> float | None:
    """``value`` (cm) if within ``low``..``high``, else a BadMeasurement."""
    if value is not None and not low <= value <= high:
        raise BadMeasurement(
            f"measurement {key} must be between {low:g} and {high:g} cm, got "
            f"{value:g}; check the number and its unit"
        )
    return value


def _get(measurements_cm: Mapping[str, float], key: str) -> float | None:
    """A measurement in centimetres, checked against its human range."""
    if key in _RANGES_CM:
        low, high = _RANGES_CM[key]
    elif key.endswith("_girth"):
        low, high = _GIRTH_RANGE_CM
    else:
        low, high = _WIDTH_RANGE_CM
    return _checked(key, _number(measurements_cm, key), low, high)


def _section(measurements_cm: Mapping[str, float], name: str, height: float) -> Section:
    """A torso section from girth, width and depth, whichever are given."""
    girth = _get(measurements_cm, f"{name}_girth")
    width = _get(measurements_cm, f"{name}_width")
    depth = _get(measurements_cm, f"{name}_depth")
    ratio = SECTION_DEPTH_PER_WIDTH[name]
    if width is not None and depth is not None:
        ratio = depth / width
    width_m = None if width is None else width / 100.0
    if girth is None:
        full_width = width_m or SECTION_WIDTH[name] * height
        girth_m = _ellipse_perimeter(full_width, full_width * ratio)
    else:
        girth_m = girth / 100.0
    ratio = min(max(ratio, 0.45), 1.1)
    return Section(girth=girth_m, depth_per_width=ratio, width=width_m)


def _ellipse_perimeter(width: float, depth: float) -> float:
    """Perimeter of the ellipse with these full axes (Ramanujan)."""
    a, b = width / 2.0, depth / 2.0
    return math.pi * (3.0 * (a + b) - math.sqrt((3.0 * a + b) * (a + 3.0 * b)))


def resolve_shape(measurements_cm: Mapping[str, float]) -> BodyShape:
    """Resolve the proportions of a body from its measurements.

    Args:
        measurements_cm: any of the keys of ``pose.Measurements`` (height,
            shoulder_width, chest_girth/width/depth, waist_..., hip_...,
            arm_length, torso_length, inseam), centimetres. Missing keys
            fall back to typical shares of the height (170 cm if absent).

    Returns:
        The body's proportions in metres.

    Raises:
        BadMeasurement: a value is not a positive number or is outside any
            human range.
    """
    height = (_get(measurements_cm, "height") or 170.0) / 100.0
    shoulder = _get(measurements_cm, "shoulder_width")
    arm = _get(measurements_cm, "arm_length")
    trunk = _get(measurements_cm, "torso_length")
    inseam = _get(measurements_cm, "inseam")
    shoulder_breadth = shoulder / 100.0 if shoulder else SHOULDER_BREADTH * height
    arm_m = arm / 100.0 if arm else ARM * height
    shape = BodyShape(
        height=height,
        inseam=_clamp(
            inseam / 100.0 if inseam else INSEAM * height, height, 0.38, 0.55
        ),
        trunk=_clamp(trunk / 100.0 if trunk else TRUNK * height, height, 0.22, 0.36),
        shoulder_joints=_clamp(
            shoulder_breadth / SHOULDER_BREADTH_PER_JOINTS, height, 0.15, 0.26
        ),
        upper_arm=_clamp(arm_m, height, 0.26, 0.40) * UPPER_ARM_SHARE,
        forearm=_clamp(arm_m, height, 0.26, 0.40) * (1.0 - UPPER_ARM_SHARE),
        chest=_section(measurements_cm, "chest", height),
        waist=_section(measurements_cm, "waist", height),
        hip=_section(measurements_cm, "hip", height),
        measurements_cm={},
    )
    return _with_measurements(shape)


def _clamp(value: float, height: float, low: float, high: float) -> float:
    """``value`` kept within ``low``..``high`` shares of ``height``."""
    clamped = min(max(value, low * height), high * height)
    if abs(clamped - value) > 1e-9:
        logger.info(
            "body length %.3f m is out of proportion with the height; using %.3f m",
            value,
            clamped,
        )
    return clamped


def _with_measurements(shape: BodyShape) -> BodyShape:
    """``shape`` with ``measurements_cm`` filled from its own proportions."""
    values = {
        "height": shape.height,
        "shoulder_width": shape.shoulder_joints * SHOULDER_BREADTH_PER_JOINTS,
        "arm_length": shape.upper_arm + shape.forearm,
        "torso_length": shape.trunk,
        "inseam": shape.inseam,
        "chest_girth": shape.chest.girth,
        "waist_girth": shape.waist.girth,
        "hip_girth": shape.hip.girth,
    }
    cm = {key: round(value * 100.0, 1) for key, value in values.items()}
    return BodyShape(**{**shape.__dict__, "measurements_cm": cm})
