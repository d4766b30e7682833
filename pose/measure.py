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
2. Lengths (shoulder joints, arm, torso, legs): the longer of the photo's
   (pixels times the scale) and the rescaled world landmarks' (3-D). A
   limb pointing at the camera only shortens the photo's; MediaPipe's world
   landmarks run a few per cent short on frontal photos. Shoulder width is
   the joints' distance times 1.15 (joint centres to outer shoulders).
   The inseam is floor to crotch where the mask shows a gap between the
   legs and agrees with the legs' length, else the leg's length plus the
   ankle height minus the crotch's drop below the hip joints.
3. Widths at the chest, waist and hip lines from the person mask, measured
   across the torso's axis (the widest near the chest and hip lines, the
   narrowest near the waist line); when the person is turned from the
   camera (shoulders foreshortened in the photo against the world
   landmarks) or the mask there is missing or implausible (an arm merged
   with the torso), the chest falls back to
   the shoulder joints' distance times 0.97 and the waist and hips to a
   typical share of the height.
4. Depths from the widths by typical adult depth-to-width ratios, and
   girths as the perimeter of the ellipse of width and depth (Ramanujan).

Accuracy: on the project's own mannequin rendered from the front in
A-pose (``tests/pose/test_measure_mannequin.py``) every measurement is
within 8 % of the truth (girths within 10 %); the ellipse runs a few per
cent under the mannequin's rounder sections.

Note:
    A single frontal photo cannot see depth: depths and girths are
    estimates from population ratios, and the mask measures clothes, not
    skin. A turned or side-on person gets widths from the fallbacks.
    The ratios are approximate adult averages, not fitted to data here.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from pose.errors import HeightOutOfRange
from pose.landmarks import Landmark
from pose.result import Measurements

__all__ = [
    "DEFAULT_HEIGHT_CM",
    "HEIGHT_RANGE_CM",
    "MEASUREMENT_KEYS",
    "check_height",
    "ellipse_perimeter",
    "in_picture",
    "measure",
]

logger = logging.getLogger(__name__)

DEFAULT_HEIGHT_CM = 170.0
HEIGHT_RANGE_CM = (50.0, 260.0)
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
        widest: True where a tape goes round the widest part near the line
            (chest, hips), False for the narrowest (waist).
        per_shoulder_joints: width over the distance between the shoulder
            joints, used when the mask cannot be (None: use the height).
    """

    name: str
    along_torso: float
    width_share: float
    depth_per_width: float
    widest: bool
    per_shoulder_joints: float | None = None


# The chest's width per shoulder joints was measured on the project's
# mannequin rendered from the front (0.95 to 1.03 over three shapes); the
# hip landmarks vary too much between people to stand in for the hips.
GIRTHS = (
    Girth("chest", 0.34, 0.182, 0.80, widest=True, per_shoulder_joints=0.97),
    Girth("waist", 0.69, 0.175, 0.76, widest=False),
    Girth("hip", 1.11, 0.205, 0.70, widest=True),
)
# Offsets along the torso (share of its length) searched about each line.
GIRTH_BAND = np.linspace(-0.06, 0.06, 5)
# Largest relative difference between the mask's and the legs' inseam.
INSEAM_AGREEMENT = 0.15
# Below this facing share (see _facing_share; about 40 degrees turned) the
# mask's width across the torso mixes width and depth and is not used.
FACING_MIN = 0.75
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
_SHOULDERS = (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER)
_HIPS = (_L.LEFT_HIP, _L.RIGHT_HIP)
_FEET = (_L.LEFT_HEEL, _L.RIGHT_HEEL, _L.LEFT_FOOT_INDEX, _L.RIGHT_FOOT_INDEX)


def check_height(height_cm: float | None) -> float | None:
    """``height_cm`` as a float, or None; it must be a human height.

    Raises:
        HeightOutOfRange: outside :data:`HEIGHT_RANGE_CM` (a height in
            metres or inches, or a typo).
    """
    if height_cm is None:
        return None
    low, high = HEIGHT_RANGE_CM
    value = float(height_cm)
    if not low <= value <= high:  # also false for NaN
        raise HeightOutOfRange(
            f"a height of {value:g} cm is not a human height; give it in "
            f"centimetres, between {low:.0f} and {high:.0f}"
        )
    return value


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


def _band_width(
    mask: np.ndarray,
    shoulders: np.ndarray,
    axis: np.ndarray,
    across: np.ndarray,
    girth: Girth,
    max_px: float,
) -> float | None:
    """Widest (or narrowest) mask width in pixels about a girth's line."""
    widths = []
    for offset in girth.along_torso + GIRTH_BAND:
        centre = shoulders + offset * axis
        width = _mask_width_px(mask, centre, across, max_px)
        if width is not None:
            widths.append(width)
    if len(widths) < len(GIRTH_BAND) // 2 + 1:
        return None  # most of the band is off the mask or cut by the border
    return max(widths) if girth.widest else min(widths)


def _torso_widths(
    landmarks_px: np.ndarray,
    mask: np.ndarray | None,
    metres_per_px: float,
    height_m: float,
    shoulder_joints_m: float,
    without_mask: str = "no mask",
) -> dict[str, tuple[float, str]]:
    """Chest, waist and hip widths in metres, with their methods.

    ``without_mask`` says why, when ``mask`` is None.
    """
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
            measured = _band_width(
                mask, shoulders, axis, across, girth, 2.0 * typical / metres_per_px
            )
            measured = None if measured is None else measured * metres_per_px
        low, high = MASK_PLAUSIBLE
        if measured is not None and low * typical <= measured <= high * typical:
            where = "widest" if girth.widest else "narrowest"
            widths[girth.name] = (
                measured,
                f"person mask across the torso, {where} near the {girth.name} line",
            )
        else:
            if mask is None:
                why = without_mask
            else:
                why = "mask edge not found" if measured is None else "mask implausible"
            logger.debug("%s width: %s, fallback used", girth.name, why)
            widths[girth.name] = _fallback_width(
                girth, height_m, shoulder_joints_m, why
            )
    return widths


def _facing_share(views: _Views) -> float:
    """How squarely the person faces the camera: about 1 facing it, 0 side-on.

    The shoulders' distance in the photo over their distance in 3-D (world
    landmarks); a turned person's shoulders are foreshortened in the photo.
    """
    pair = (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER)
    world = _chain(views.world, pair)
    photo = _chain(views.pixels, pair) * views.metres_per_px
    return photo / world if world > 0.0 else 1.0


def _fallback_width(
    girth: Girth, height_m: float, shoulder_joints_m: float, why: str
) -> tuple[float, str]:
    """A width without the mask: from the shoulders, else from the height."""
    if girth.per_shoulder_joints is not None:
        return (
            shoulder_joints_m * girth.per_shoulder_joints,
            f"shoulder joints x {girth.per_shoulder_joints} ({why})",
        )
    return (
        girth.width_share * height_m,
        f"typical share of height ({girth.width_share:.3f}; {why})",
    )


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

    Raises:
        HeightOutOfRange: ``height_cm`` is not a human height.
    """
    height_cm = check_height(height_cm)
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

    # 2. Lengths: the longer of the photo's and the world landmarks'.
    views = _Views(
        pixels=landmarks_px[:, :2].astype(np.float64),
        metres_per_px=metres_per_px,
        world=world_landmarks.astype(np.float64) * world_scale,
        seen=seen,
    )
    _add_lengths(values, methods, views, mask, height_m)

    # 3. and 4. Widths from the mask; depths and girths from ratios.
    shoulder_joints_m = values["shoulder_width"] / SHOULDER_BREADTH_PER_JOINTS
    facing = _facing_share(views)
    if facing < FACING_MIN:
        logger.debug("person turned (facing share %.2f): mask widths unused", facing)
    widths = _torso_widths(
        landmarks_px,
        mask if facing >= FACING_MIN else None,
        metres_per_px,
        height_m,
        shoulder_joints_m,
        "no mask" if mask is None or facing >= FACING_MIN else "person turned",
    )
    for girth in GIRTHS:
        width, how = widths[girth.name]
        depth = width * girth.depth_per_width
        values[f"{girth.name}_width"] = width
        values[f"{girth.name}_depth"] = depth
        values[f"{girth.name}_girth"] = ellipse_perimeter(width, depth)
        from_mask = how.startswith("person mask")
        methods[f"{girth.name}_width"] = (
            f"{how}; pixels scaled by {scale_method}" if from_mask else how
        )
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


@dataclass(frozen=True)
class _Views:
    """The person's points in the two measuring systems.

    Attributes:
        pixels: (L, 2) float64 image points, pixels.
        metres_per_px: scale of the image points at the person.
        world: (L, 3) float64 world landmarks rescaled to the height.
        seen: (L,) bool, landmarks visible inside the picture.
    """

    pixels: np.ndarray
    metres_per_px: float
    world: np.ndarray
    seen: np.ndarray


LENGTH_NOTE = (
    "longer of the photo (pixels x scale) and the world landmarks (3-D, "
    "scaled to the height); "
)


def _longest(views: _Views, chains: tuple[tuple[Landmark, ...], ...]) -> tuple:
    """Longest of ``chains`` in metres, and which view gave it.

    The photo can only shorten a length (a limb pointing at the camera),
    and MediaPipe's world landmarks tend to run short of it on frontal
    photos, so the longer of the two is taken. Chains whose landmarks are
    not all in the picture are measured on the world landmarks only.
    """
    world = max(_chain(views.world, chain) for chain in chains)
    in_photo = [c for c in chains if views.seen[list(c)].all()]
    if not in_photo:
        return world, "world landmarks (not in the picture)"
    photo = max(_chain(views.pixels, c) for c in in_photo) * views.metres_per_px
    return (photo, "photo") if photo >= world else (world, "world landmarks")


def _with_midpoints(points: np.ndarray) -> np.ndarray:
    """``points`` plus the shoulder and hip midpoints as two extra rows."""
    extra = np.stack(
        [
            _mid(points, _L.LEFT_SHOULDER, _L.RIGHT_SHOULDER),
            _mid(points, _L.LEFT_HIP, _L.RIGHT_HIP),
        ]
    )
    return np.concatenate([points, extra])


_SHOULDER_MID, _HIP_MID = len(Landmark), len(Landmark) + 1


def _add_lengths(
    values: dict[str, float],
    methods: dict[str, str],
    views: _Views,
    mask: np.ndarray | None,
    height_m: float,
) -> None:
    """Shoulder width, arm length, torso length and inseam, metres."""
    joints, source = _longest(views, ((_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER),))
    values["shoulder_width"] = joints * SHOULDER_BREADTH_PER_JOINTS
    methods["shoulder_width"] = (
        f"shoulder joints, {LENGTH_NOTE}here {source}; "
        f"x {SHOULDER_BREADTH_PER_JOINTS} to the outer shoulders"
    )
    values["arm_length"], source = _longest(views, _ARMS)
    methods["arm_length"] = (
        f"shoulder-elbow-wrist, longer arm, {LENGTH_NOTE}here {source}"
    )

    extended = _Views(
        pixels=_with_midpoints(views.pixels),
        metres_per_px=views.metres_per_px,
        world=_with_midpoints(views.world),
        seen=np.concatenate(
            [
                views.seen,
                [views.seen[list(_SHOULDERS)].all(), views.seen[list(_HIPS)].all()],
            ]
        ),
    )
    values["torso_length"], source = _longest(extended, ((_SHOULDER_MID, _HIP_MID),))
    methods["torso_length"] = (
        f"shoulder line to hip-joint line, {LENGTH_NOTE}here {source}"
    )
    _add_inseam(values, methods, views, mask, height_m)


def _add_inseam(
    values: dict[str, float],
    methods: dict[str, str],
    views: _Views,
    mask: np.ndarray | None,
    height_m: float,
) -> None:
    """Inseam from the gap between the legs in the mask, else the legs.

    The mask's answer is kept only when it agrees with the legs' within
    :data:`INSEAM_AGREEMENT` (bent legs or a hand between them fool it).
    """
    leg, source = _longest(views, _LEGS)
    from_legs = leg + (ANKLE_HEIGHT - CROTCH_BELOW_HIP_JOINT) * height_m
    crotch_px = None if mask is None else _crotch_to_floor_px(mask, views)
    if crotch_px is not None:
        from_mask = crotch_px * views.metres_per_px
        if abs(from_mask / from_legs - 1.0) <= INSEAM_AGREEMENT:
            values["inseam"] = from_mask
            methods["inseam"] = "person mask, floor to crotch (gap between the legs)"
            return
        logger.debug(
            "inseam: mask %.3f m disagrees with legs %.3f m", from_mask, from_legs
        )
    values["inseam"] = from_legs
    methods["inseam"] = (
        f"hip-knee-ankle, longer leg, {LENGTH_NOTE}here {source}; plus "
        f"ankle height ({ANKLE_HEIGHT}), minus the crotch-to-hip-joint drop "
        f"({CROTCH_BELOW_HIP_JOINT}) as shares of the height"
    )


def _crotch_to_floor_px(mask: np.ndarray, views: _Views) -> float | None:
    """Floor-to-crotch distance in pixels, or None if the legs touch.

    Walks from between the ankles up towards the hips until the mask
    starts: that is the crotch. The floor is the lowest foot landmark,
    measured along the same direction.
    """
    needed = [*_HIPS, _L.LEFT_ANKLE, _L.RIGHT_ANKLE, *_FEET]
    if not views.seen[needed].all():
        return None
    points = views.pixels
    start = _mid(points, _L.LEFT_ANKLE, _L.RIGHT_ANKLE)
    hips = _mid(points, _L.LEFT_HIP, _L.RIGHT_HIP)
    length = float(np.linalg.norm(hips - start))
    if length < 10.0:
        return None
    up = (hips - start) / length
    steps = np.arange(0.0, length)
    path = np.round(start[None, :] + steps[:, None] * up[None, :]).astype(int)
    height, width = mask.shape
    if not (
        (path >= 0).all() and (path[:, 0] < width).all() and (path[:, 1] < height).all()
    ):
        return None
    on = mask[path[:, 1], path[:, 0]] >= 0.5
    if on[0] or not on.any():
        return None  # legs together (or a skirt), or no body on the way
    crotch = start + np.flatnonzero(on)[0] * up
    floor = max(float(np.dot(points[f] - crotch, -up)) for f in _FEET)
    return floor if floor > 0.0 else None
