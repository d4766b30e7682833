"""Body measurements (cm) from landmarks, world landmarks and a person mask.

How the numbers are obtained (each result also says so in words):

1. Scale. The person's stature in pixels is estimated from the straightened
   chain ankle-knee-hip-shoulder-eyes, which spans a known share of the
   stature in adults (about 0.90), or from the vertical span feet-to-eyes
   with a head-top correction (eyes are at about 0.936 of the stature),
   whichever is longer (foreshortening only shortens). With the legs out of
   the picture the torso alone is used (shoulder to hip joint, about 0.29
   of the stature). The given height (or a default of 170 cm) over that
   pixel stature gives metres per pixel. World landmarks are rescaled the
   same way, so that their straightened chain matches the height.
2. Lengths (arm, torso, inseam, shoulder width) from the rescaled world
   landmarks, which are 3-D and so not shortened by a limb pointing at the
   camera.
3. Widths at the chest, waist and hip lines from the person mask, measured
   across the torso's axis; when the mask there is missing or implausible
   (an arm merged with the torso), a typical share of the height is used.
4. Depths from the widths by typical adult depth-to-width ratios, and
   girths as the perimeter of the ellipse of width and depth (Ramanujan).

Note:
    A single frontal photo cannot see depth: depths and girths are
    estimates from population ratios, and the mask measures clothes, not
    skin. A side view is not detected and would give depths as widths.
    The ratios are approximate adult averages, not fitted to data here.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from pose.landmarks import Landmark
from pose.result import Measurements

__all__ = [
    "DEFAULT_HEIGHT_CM",
    "MEASUREMENT_KEYS",
    "ellipse_perimeter",
    "in_picture",
    "measure",
]

logger = logging.getLogger(__name__)

DEFAULT_HEIGHT_CM = 170.0
MEASUREMENT_KEYS = (
    "height",
    "shoulder_width",
    "chest_width",
    "chest_depth",
    "chest_girth",
    "waist_width",
    "waist_depth",
    "waist_girth",
    "hip_width",
    "hip_depth",
    "hip_girth",
    "arm_length",
    "torso_length",
    "inseam",
)

# Shares of the stature (approximate adult averages).
EYE_HEIGHT = 0.936
ANKLE_HEIGHT = 0.039
CROTCH_BELOW_HIP_JOINT = 0.06
TRUNK = 0.288  # hip joint to shoulder joint
ANKLE_TO_EYES = 0.897  # straightened ankle-knee-hip-shoulder-eye chain
# Distance between BlazePose's shoulder points to the shoulder breadth.
SHOULDER_BREADTH_PER_JOINTS = 1.15


@dataclass(frozen=True)
class Girth:
    """Where a torso line lies and its typical proportions.

    Attributes:
        name: ``chest``, ``waist`` or ``hip``.
        along_torso: position from the shoulder line (0) to the hip-joint
            line (1) along the torso's axis.
        width_share: typical width over stature.
        depth_per_width: typical depth over width.
    """

    name: str
    along_torso: float
    width_share: float
    depth_per_width: float


GIRTHS = (
    Girth("chest", 0.34, 0.182, 0.80),
    Girth("waist", 0.69, 0.175, 0.76),
    Girth("hip", 1.11, 0.205, 0.70),
)
# A mask width outside this share of the typical width is not trusted.
MASK_PLAUSIBLE = (0.7, 1.4)
VISIBLE = 0.5

_L = Landmark
_LEGS = (
    (_L.LEFT_HIP, _L.LEFT_KNEE, _L.LEFT_ANKLE),
    (_L.RIGHT_HIP, _L.RIGHT_KNEE, _L.RIGHT_ANKLE),
)
_ARMS = (
    (_L.LEFT_SHOULDER, _L.LEFT_ELBOW, _L.LEFT_WRIST),
    (_L.RIGHT_SHOULDER, _L.RIGHT_ELBOW, _L.RIGHT_WRIST),
)
_FEET = (_L.LEFT_HEEL, _L.RIGHT_HEEL, _L.LEFT_FOOT_INDEX, _L.RIGHT_FOOT_INDEX)


def ellipse_perimeter(width: float, depth: float) -> float:
    """Perimeter of an ellipse with these full axes (Ramanujan's second).

    Args:
        width: full width (2a), any unit.
        depth: full depth (2b), same unit.

    Returns:
        The perimeter, same unit.
    """
    a, b = width / 2.0, depth / 2.0
    if a + b <= 0.0:
        return 0.0
    h = ((a - b) / (a + b)) ** 2
    return math.pi * (a + b) * (1.0 + 3.0 * h / (10.0 + math.sqrt(4.0 - 3.0 * h)))


def in_picture(
    landmarks_px: np.ndarray, image_size: tuple[int, int], margin: float = 0.0
) -> np.ndarray:
    """Which landmarks are visible and inside the picture.

    Args:
        landmarks_px: (L, 3) x, y in pixels and visibility.
        image_size: (width, height) in pixels.
        margin: share of the image size a point may lie outside.

    Returns:
        (L,) bool.
    """
    width, height = image_size
    x, y, visibility = landmarks_px[:, 0], landmarks_px[:, 1], landmarks_px[:, 2]
    inside_x = (x >= -margin * width) & (x <= (1.0 + margin) * width)
    inside_y = (y >= -margin * height) & (y <= (1.0 + margin) * height)
    return (visibility >= VISIBLE) & inside_x & inside_y


def _chain(points: np.ndarray, indices: tuple[Landmark, ...]) -> float:
    """Length of the polyline through ``points[indices]`` (any dimension)."""
    path = points[list(indices)]
    return float(np.linalg.norm(np.diff(path, axis=0), axis=1).sum())


def _mid(points: np.ndarray, a: Landmark, b: Landmark) -> np.ndarray:
    return (points[a] + points[b]) / 2.0


def _straight_chain(points: np.ndarray, legs: list[int]) -> float:
    """Ankle-knee-hip-shoulder-eyes length, longest of the given legs."""
    leg = max(_chain(points, _LEGS[side]) for side in legs)
    hips = _mid(points, _L.LEFT_HIP, _L.RIGHT_HIP)
    shoulders = _mid(points, _L.LEFT_SHOULDER, _L.RIGHT_SHOULDER)
    eyes = _mid(points, _L.LEFT_EYE, _L.RIGHT_EYE)
    trunk = np.linalg.norm(shoulders - hips)
    neck = np.linalg.norm(eyes - shoulders)
    return float(leg + trunk + neck)


def _visible_legs(seen: np.ndarray) -> list[int]:
    return [side for side, leg in enumerate(_LEGS) if seen[list(leg)].all()]


def _pixel_stature(
    landmarks_px: np.ndarray, seen: np.ndarray
) -> tuple[float, str] | None:
    """The person's stature in pixels and how it was estimated."""
    xy = landmarks_px[:, :2].astype(np.float64)
    torso_seen = seen[[_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER, _L.LEFT_HIP, _L.RIGHT_HIP]]
    if not torso_seen.all():
        return None
    legs = _visible_legs(seen)
    if legs and seen[[_L.LEFT_EYE, _L.RIGHT_EYE]].all():
        chain = _straight_chain(xy, legs) / ANKLE_TO_EYES
        eyes_y = _mid(xy, _L.LEFT_EYE, _L.RIGHT_EYE)[1]
        feet_y = xy[list(_FEET), 1].max()
        span = (feet_y - eyes_y) / EYE_HEIGHT
        if span > chain:
            return span, "vertical span feet to eyes, head-top corrected"
        return chain, "straightened ankle-knee-hip-shoulder-eye chain"
    hips = _mid(xy, _L.LEFT_HIP, _L.RIGHT_HIP)
    shoulders = _mid(xy, _L.LEFT_SHOULDER, _L.RIGHT_SHOULDER)
    trunk = float(np.linalg.norm(shoulders - hips))
    return trunk / TRUNK, "torso length (legs out of the picture)"


def _world_stature(world: np.ndarray) -> float:
    """Straightened stature of the world landmarks, metres (model scale)."""
    return _straight_chain(world.astype(np.float64), [0, 1]) / ANKLE_TO_EYES


def _mask_width_px(
    mask: np.ndarray, centre: np.ndarray, across: np.ndarray, max_px: float
) -> float | None:
    """Width of the mask's run through ``centre`` along unit ``across``.

    Args:
        mask: (H, W) float 0..1.
        centre: (2,) x, y pixels, a point on the torso's axis.
        across: (2,) unit vector across the torso.
        max_px: how far to look on each side.

    Returns:
        The run's length in pixels, or None if ``centre`` is not on the
        mask or the run reaches the image's border.
    """
    steps = np.arange(-int(max_px), int(max_px) + 1, dtype=np.float64)
    samples = centre[None, :] + steps[:, None] * across[None, :]  # (S, 2)
    cols = np.round(samples[:, 0]).astype(int)
    rows = np.round(samples[:, 1]).astype(int)
    height, width = mask.shape
    inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
    on = np.zeros(steps.shape, dtype=bool)
    on[inside] = mask[rows[inside], cols[inside]] >= 0.5
    middle = len(steps) // 2
    if not on[middle]:
        return None
    off_left = np.flatnonzero(~on[:middle])
    off_right = np.flatnonzero(~on[middle:])
    if not len(off_left) or not len(off_right):
        return None
    start, stop = off_left[-1] + 1, middle + off_right[0]
    if not (inside[start - 1] and inside[stop]):
        return None  # the run is cut by the image's border
    return float(stop - start)


def _torso_widths(
    landmarks_px: np.ndarray,
    mask: np.ndarray | None,
    metres_per_px: float,
    height_m: float,
) -> dict[str, tuple[float, str]]:
    """Chest, waist and hip widths in metres, with their methods."""
    xy = landmarks_px[:, :2].astype(np.float64)
    shoulders = _mid(xy, _L.LEFT_SHOULDER, _L.RIGHT_SHOULDER)
    hips = _mid(xy, _L.LEFT_HIP, _L.RIGHT_HIP)
    axis = hips - shoulders
    length = float(np.linalg.norm(axis))
    across = np.array([-axis[1], axis[0]]) / max(length, 1e-9)
    widths = {}
    for girth in GIRTHS:
        typical = girth.width_share * height_m
        measured = None
        if mask is not None and length > 0.0:
            centre = shoulders + girth.along_torso * axis
            px = _mask_width_px(mask, centre, across, 2.0 * typical / metres_per_px)
            measured = None if px is None else px * metres_per_px
        low, high = MASK_PLAUSIBLE
        if measured is not None and low * typical <= measured <= high * typical:
            widths[girth.name] = (measured, "person mask across the torso")
        else:
            why = "no mask" if measured is None else "mask implausible"
            logger.debug("%s width: %s, typical share used", girth.name, why)
            widths[girth.name] = (
                typical,
                f"typical share of height ({girth.width_share:.3f}; {why})",
            )
    return widths


def measure(
    landmarks_px: np.ndarray,
    world_landmarks: np.ndarray,
    mask: np.ndarray | None,
    image_size: tuple[int, int],
    height_cm: float | None = None,
) -> Measurements:
    """Estimate the person's measurements in centimetres.

    Args:
        landmarks_px: (L, 3) x, y pixels and visibility.
        world_landmarks: (L, 3) metres, MediaPipe's world frame.
        mask: (H, W) float 0..1 at the image's resolution, or None.
        image_size: (width, height) in pixels.
        height_cm: the person's height, or None for the default 170 cm.

    Returns:
        Values for every key of :data:`MEASUREMENT_KEYS` and their methods.
    """
    values: dict[str, float] = {}
    methods: dict[str, str] = {}
    if height_cm is None:
        height_m = DEFAULT_HEIGHT_CM / 100.0
        methods["height"] = f"not given; default adult {DEFAULT_HEIGHT_CM:.0f} cm"
    else:
        height_m = float(height_cm) / 100.0
        methods["height"] = "given by the user"
    values["height"] = height_m

    # 1. Scale of the picture and of the world landmarks.
    seen = in_picture(landmarks_px, image_size)
    stature = _pixel_stature(landmarks_px, seen)
    world_scale = height_m / max(_world_stature(world_landmarks), 1e-6)
    if stature is None:
        # No full torso in view: pixels scaled through the world landmarks.
        px_per_world_m = _shoulder_ratio(landmarks_px, world_landmarks)
        metres_per_px = world_scale / px_per_world_m
        scale_method = "world landmarks (torso not fully in the picture)"
    else:
        metres_per_px = height_m / stature[0]
        scale_method = stature[1]
    logger.debug("scale %.5f m/px from %s", metres_per_px, scale_method)

    # 2. Lengths from the rescaled world landmarks.
    _add_lengths(values, methods, world_landmarks * world_scale, seen, height_m)

    # 3. and 4. Widths from the mask; depths and girths from ratios.
    widths = _torso_widths(landmarks_px, mask, metres_per_px, height_m)
    for girth in GIRTHS:
        width, how = widths[girth.name]
        depth = width * girth.depth_per_width
        values[f"{girth.name}_width"] = width
        values[f"{girth.name}_depth"] = depth
        values[f"{girth.name}_girth"] = ellipse_perimeter(width, depth)
        methods[f"{girth.name}_width"] = f"{how}; pixels scaled by {scale_method}"
        methods[f"{girth.name}_depth"] = (
            f"{girth.name} width x typical depth/width ratio {girth.depth_per_width}"
        )
        methods[f"{girth.name}_girth"] = (
            "ellipse perimeter (Ramanujan) of width and depth"
        )
    return Measurements(
        values_cm={key: round(values[key] * 100.0, 1) for key in MEASUREMENT_KEYS},
        methods={key: methods[key] for key in MEASUREMENT_KEYS},
    )


def _shoulder_ratio(landmarks_px: np.ndarray, world: np.ndarray) -> float:
    """Pixels per world-landmark metre, from the shoulders."""
    px = np.linalg.norm(
        landmarks_px[_L.LEFT_SHOULDER, :2] - landmarks_px[_L.RIGHT_SHOULDER, :2]
    )
    metres = np.linalg.norm(world[_L.LEFT_SHOULDER] - world[_L.RIGHT_SHOULDER])
    return float(max(px, 1.0) / max(metres, 1e-3))


def _add_lengths(
    values: dict[str, float],
    methods: dict[str, str],
    world: np.ndarray,
    seen: np.ndarray,
    height_m: float,
) -> None:
    """Shoulder width, arm, torso and inseam from rescaled world landmarks."""
    world = world.astype(np.float64)
    note = "world landmarks scaled to the height"
    joints = np.linalg.norm(world[_L.LEFT_SHOULDER] - world[_L.RIGHT_SHOULDER])
    values["shoulder_width"] = float(joints) * SHOULDER_BREADTH_PER_JOINTS
    methods["shoulder_width"] = (
        f"{note}, shoulder to shoulder x {SHOULDER_BREADTH_PER_JOINTS} "
        "(joint centres to outer shoulders)"
    )
    values["arm_length"] = max(_chain(world, arm) for arm in _ARMS)
    methods["arm_length"] = f"{note}, shoulder-elbow-wrist, longer arm"
    values["torso_length"] = float(
        np.linalg.norm(
            _mid(world, _L.LEFT_SHOULDER, _L.RIGHT_SHOULDER)
            - _mid(world, _L.LEFT_HIP, _L.RIGHT_HIP)
        )
    )
    methods["torso_length"] = f"{note}, shoulder line to hip-joint line"
    leg = max(_chain(world, side) for side in _LEGS)
    values["inseam"] = leg + (ANKLE_HEIGHT - CROTCH_BELOW_HIP_JOINT) * height_m
    legs_seen = "" if _visible_legs(seen) else " (legs out of the picture: guessed)"
    methods["inseam"] = (
        f"{note}, hip-knee-ankle, longer leg, plus ankle height, minus "
        f"crotch-to-hip-joint drop{legs_seen}"
    )
