"""The mannequin's surface and skeleton, lofted from a body's proportions.

Layout (canonical body frame: Y up, +Z front, +X the person's left,
origin midway between the hip joints, metres):

1. The torso, neck and head are one tube of ``TORSO_POINTS`` superellipse
   rings from just above the crotch to a pole on the head top.
2. Each arm starts at a rectangular hole cut in the torso's side between
   the armpit and shoulder-top rings (the hole's rim is the arm's first
   ring), blends into ellipses around the arm's axis (A-pose, 45 degrees
   below horizontal) and ends in a flat hand closed by a pole.
3. The torso's bottom ring is split into two by a seam of points along
   the midline under the crotch; each half plus the seam is the first ring
   of a leg, which ends in a simple foot closed by a pole on the floor.

Every count is a module constant, so the connectivity is the same for
every body; only the positions follow the measurements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import PchipInterpolator

from tryon.body.loft import MeshBuilder, ring_perimeter, superellipse, unwrapped_angles
from tryon.body.shape import ANKLE_HEIGHT, CROTCH_BELOW_HIP_JOINT, BodyShape, Section

__all__ = [
    "JOINT_NAMES",
    "PARENTS",
    "PARTS",
    "Mannequin",
    "TORSO_POINTS",
    "build_mannequin",
    "section_size",
]

TORSO_POINTS = 64  # points per torso ring (a multiple of 4)
ARM_HOLE_COLUMNS = 10  # torso quads across an arm hole
ARM_HOLE_ROWS = 5  # torso quads up an arm hole
SEAM_POINTS = 9  # crotch seam points between front and back centre
HEAD_RINGS = 8
ARM_AXIS_DEGREES = 45.0  # A-pose: arms this far below horizontal

PARTS = ("torso", "left_arm", "right_arm", "left_leg", "right_leg")
TORSO, LEFT_ARM, RIGHT_ARM, LEFT_LEG, RIGHT_LEG = range(5)

JOINT_NAMES = (
    "pelvis",
    "spine",
    "chest",
    "neck",
    "head",
    "left_clavicle",
    "left_shoulder",
    "left_elbow",
    "left_wrist",
    "right_clavicle",
    "right_shoulder",
    "right_elbow",
    "right_wrist",
    "left_hip",
    "left_knee",
    "left_ankle",
    "right_hip",
    "right_knee",
    "right_ankle",
)
PARENTS = np.array([-1, 0, 1, 2, 3, 2, 5, 6, 7, 2, 9, 10, 11, 0, 13, 14, 0, 16, 17])

# Torso cross-section exponents (2 is an ellipse, larger is boxier).
_EXPONENT = {"hip": 2.2, "waist": 2.1, "chest": 2.3, "armpit": 2.4, "shoulder": 2.4}
# Arm rings: (place along the arm, radius along +Z, radius across, blend
# from the hole's rim). Places: 0..1 upper arm, 1..2 forearm, 2..3 hand.
_ARM_RINGS = (
    (0.00, 0.052, 0.052, 0.4),
    (0.12, 0.050, 0.050, 0.75),
    (0.25, 0.048, 0.048, 1.0),
    (0.50, 0.046, 0.046, 1.0),
    (0.75, 0.042, 0.042, 1.0),
    (1.00, 0.038, 0.036, 1.0),
    (1.25, 0.042, 0.037, 1.0),
    (1.50, 0.038, 0.032, 1.0),
    (1.75, 0.032, 0.026, 1.0),
    (2.00, 0.029, 0.020, 1.0),
    (2.20, 0.042, 0.017, 1.0),
    (2.50, 0.045, 0.014, 1.0),
    (2.80, 0.040, 0.012, 1.0),
)
# Torso rings between bottom, hip, waist, chest, armpit (and the hole rows).
_TORSO_INTERVALS = (2, 7, 7, 4, 0)
HAND = 0.108  # share of the height, wrist to finger tip
# Leg rings below the seam: (place along the leg, radius along X, radius
# along Z, centre offset along Z in metres). Places: 0..1 thigh from the
# hip joint, 1..2 shin.
_LEG_RINGS = (
    (0.45, 0.080, 0.080, 0.0),
    (0.60, 0.072, 0.072, 0.0),
    (0.75, 0.063, 0.063, 0.0),
    (0.90, 0.057, 0.058, 0.0),
    (1.00, 0.054, 0.056, 0.0),
    (1.20, 0.058, 0.060, -0.01),
    (1.40, 0.052, 0.054, -0.008),
    (1.60, 0.043, 0.045, -0.004),
    (1.80, 0.036, 0.038, 0.0),
    (2.00, 0.033, 0.035, 0.0),
)
THIGH_TOP = 0.088  # thigh radius under the crotch for a 100 cm hip
# Foot rings: (height above the floor, half width, half length, centre
# offset along Z), metres for a 170 cm body.
_FOOT_RINGS = (
    (0.045, 0.042, 0.085, 0.040),
    (0.020, 0.046, 0.128, 0.065),
    (0.004, 0.044, 0.126, 0.065),
)


@dataclass(frozen=True)
class Mannequin:
    """A lofted body surface and its skeleton in the rest (A) pose.

    Attributes:
        vertices: (V, 3) float64, metres, canonical frame.
        faces: (F, 3) int64, counter-clockwise seen from outside.
        parts: (V,) int8 index into ``PARTS``.
        joints: (J, 3) float64 joint centres.
        bone_ends: (J, 3) float64 far end of each joint's bone (its child
            joint, or a tip for the head, hands and feet).
        anchors: heights (floats) and points ((2, 3) arrays, left then
            right) of body landmarks; see ``BodyModel``.
        sections: (half width, half depth) in metres of the chest, waist
            and hip rings.
    """

    vertices: np.ndarray
    faces: np.ndarray
    parts: np.ndarray
    joints: np.ndarray
    bone_ends: np.ndarray
    anchors: dict
    sections: dict


@dataclass(frozen=True)
class _Frame:
    """Heights and sizes shared by the surface and the skeleton, metres."""

    height: float
    floor: float
    crotch: float
    bottom: float
    hip: float
    waist: float
    chest: float
    armpit: float
    shoulder_top: float
    neck_base: float
    head_join: float
    head_centre: float
    head_top: float
    shoulder_y: float
    shoulder_x: float
    hip_x: float
    leg_top_x: float
    ankle_x: float
    ankle_y: float
    knee_y: float
    upper_arm: float
    forearm: float
    arm_scale: float
    leg_scale: float
    neck_radius: float
    head_radii: tuple[float, float, float]


def section_size(section: Section, exponent: float) -> tuple[float, float]:
    """Half width and half depth of a torso ring with ``section``'s girth.

    The girth is the perimeter of the sampled ring (which is convex, so a
    tape measure around it reads the same). A measured width is kept when
    a depth ratio within 0.45..1.1 reaches the girth; otherwise the default
    depth ratio is scaled to the girth.
    """
    angles = _torso_angles()

    def perimeter(half_width: float, half_depth: float) -> float:
        return ring_perimeter(superellipse(angles, half_width, half_depth, exponent))

    if section.width is not None:
        half_width = section.width / 2.0
        low, high = 0.45, 1.1
        if (
            perimeter(half_width, low * half_width)
            <= section.girth
            <= perimeter(half_width, high * half_width)
        ):
            for _ in range(40):  # bisection on the depth ratio
                mid = 0.5 * (low + high)
                if perimeter(half_width, mid * half_width) < section.girth:
                    low = mid
                else:
                    high = mid
            return half_width, 0.5 * (low + high) * half_width
    unit = perimeter(1.0, section.depth_per_width)
    half_width = section.girth / unit
    return half_width, half_width * section.depth_per_width


def _torso_angles() -> np.ndarray:
    return 2.0 * np.pi * np.arange(TORSO_POINTS) / TORSO_POINTS


def _frame(shape: BodyShape) -> _Frame:
    """Heights and sizes of the body from its proportions."""
    height, trunk = shape.height, shape.trunk
    scale = height / 1.70
    arm_scale = shape.chest.girth / 0.96
    leg_scale = shape.hip.girth / 1.00
    hip_x = 0.05 * height
    thigh_top = THIGH_TOP * leg_scale
    floor = -shape.hip_joint_height
    ankle_y = floor + ANKLE_HEIGHT * height
    crotch = -CROTCH_BELOW_HIP_JOINT * height
    chest = 0.66 * trunk
    armpit = max(trunk - 0.045 * height, chest + 0.03)
    neck_radius = 0.059 * 0.5 * (scale + arm_scale)
    head_radii = (0.046 * height, 0.065 * height, 0.058 * height)
    head_top = height + floor
    head_centre = head_top - head_radii[1]
    join_latitude = -np.arccos(min(neck_radius / head_radii[0], 0.95))
    neck_base = trunk + 0.027 * height
    head_join = max(
        head_centre + head_radii[1] * np.sin(join_latitude), neck_base + 0.03 * scale
    )
    return _Frame(
        height=height,
        floor=floor,
        crotch=crotch,
        bottom=crotch + 0.015 * height,
        hip=-0.11 * trunk,
        waist=0.31 * trunk,
        chest=chest,
        armpit=armpit,
        shoulder_top=trunk + 0.012 * height,
        neck_base=neck_base,
        head_join=head_join,
        head_centre=head_centre,
        head_top=head_top,
        shoulder_y=trunk,
        shoulder_x=shape.shoulder_joints / 2.0,
        hip_x=hip_x,
        leg_top_x=max(hip_x, thigh_top / 0.95),
        ankle_x=hip_x + 0.015 * height,
        ankle_y=ankle_y,
        knee_y=0.5 * ankle_y,
        upper_arm=shape.upper_arm,
        forearm=shape.forearm,
        arm_scale=arm_scale,
        leg_scale=leg_scale,
        neck_radius=neck_radius,
        head_radii=head_radii,
    )


def _arm_axis(side: float) -> np.ndarray:
    """Unit direction of the rest arm; ``side`` +1 left, -1 right."""
    angle = np.radians(ARM_AXIS_DEGREES)
    return np.array([side * np.cos(angle), -np.sin(angle), 0.0])


def _skeleton(frame: _Frame) -> tuple[np.ndarray, np.ndarray]:
    """Joint centres (J, 3) and bone ends (J, 3) in the rest pose."""
    f = frame
    joints = np.zeros((len(JOINT_NAMES), 3))
    ends = np.zeros_like(joints)
    joints[1] = (0.0, f.waist, -0.03)
    joints[2] = (0.0, f.chest, -0.03)
    joints[3] = (0.0, f.neck_base, -0.02)
    joints[4] = (0.0, f.head_join, -0.01)
    ends[0], ends[1], ends[2], ends[3] = joints[1], joints[2], joints[3], joints[4]
    ends[4] = (0.0, f.head_centre + 0.3 * f.head_radii[1], 0.0)
    for side, first in ((1.0, 5), (-1.0, 9)):
        axis = _arm_axis(side)
        shoulder = np.array([side * f.shoulder_x, f.shoulder_y, 0.0])
        joints[first] = (side * 0.03, f.shoulder_y, -0.005)
        joints[first + 1] = shoulder
        joints[first + 2] = shoulder + f.upper_arm * axis
        joints[first + 3] = joints[first + 2] + f.forearm * axis
        ends[first : first + 3] = joints[first + 1 : first + 4]
        ends[first + 3] = joints[first + 3] + HAND * f.height * axis
    for side, first in ((1.0, 13), (-1.0, 16)):
        joints[first] = (side * f.hip_x, 0.0, 0.0)
        joints[first + 2] = (side * f.ankle_x, f.ankle_y, 0.0)
        joints[first + 1] = 0.5 * (joints[first] + joints[first + 2])
        ends[first : first + 2] = joints[first + 1 : first + 3]
        ends[first + 2] = (side * f.ankle_x, f.floor + 0.02, 0.17 * f.height / 1.7)
    return joints, ends


def _torso_levels(frame: _Frame, sections: dict) -> list[tuple]:
    """(y, half width, half depth, centre z, exponent) of every torso ring."""
    f = frame
    (wh, dh), (ww, dw), (wc, dc) = sections["hip"], sections["waist"], sections["chest"]
    keys = [  # y, half width, half depth, centre z, exponent
        (f.bottom, 0.96 * wh, 0.90 * dh, -0.02, _EXPONENT["hip"]),
        (f.hip, wh, dh, -0.02, _EXPONENT["hip"]),
        (f.waist, ww, dw, 0.0, _EXPONENT["waist"]),
        (f.chest, wc, dc, 0.01, _EXPONENT["chest"]),
        (
            f.armpit,
            max(0.97 * wc, f.shoulder_x - 0.015),
            0.92 * dc,
            0.0,
            _EXPONENT["armpit"],
        ),
        (f.shoulder_top, f.shoulder_x + 0.005, 0.62 * dc, -0.01, _EXPONENT["shoulder"]),
    ]
    key_array = np.array(keys)
    curve = PchipInterpolator(key_array[:, 0], key_array[:, 1:], axis=0)
    intervals = _TORSO_INTERVALS[:-1] + (ARM_HOLE_ROWS,)
    ys = [f.bottom]
    for (y0, *_), (y1, *_), count in zip(keys[:-1], keys[1:], intervals, strict=True):
        ys += list(np.linspace(y0, y1, count + 1)[1:])
    levels = [(y, *curve(y)) for y in ys]
    levels += _shoulder_and_neck_levels(frame, keys[-1])
    return levels


def _shoulder_and_neck_levels(frame: _Frame, top: tuple) -> list[tuple]:
    """Rings from the shoulder top over the trapezius and up the neck."""
    f = frame
    _, w_top, d_top, z_top, _ = top
    neck_w, neck_d, neck_z = 1.2 * f.neck_radius, 1.1 * f.neck_radius, -0.015
    levels = []
    for share in (1 / 3, 2 / 3, 1.0):  # over the shoulders to the neck base
        ease = 1.0 - (1.0 - share) ** 0.6
        levels.append(
            (
                f.shoulder_top + share * (f.neck_base - f.shoulder_top),
                w_top + ease * (neck_w - w_top),
                d_top + ease * (neck_d - d_top),
                z_top + share * (neck_z - z_top),
                2.4 - 0.4 * share,
            )
        )
    for share in (1 / 3, 2 / 3):  # up the neck
        radius = f.neck_radius * (1.2 - 0.2 * share)
        levels.append(
            (
                f.neck_base + share * (f.head_join - f.neck_base),
                radius,
                f.neck_radius * (1.1 - 0.1 * share),
                neck_z,
                2.0,
            )
        )
    return levels


def _head_rings(frame: _Frame) -> np.ndarray:
    """(HEAD_RINGS, TORSO_POINTS, 3) head rings from the neck join upwards."""
    f = frame
    a, b, c = f.head_radii
    low = np.arcsin(np.clip((f.head_join - f.head_centre) / b, -0.99, 0.99))
    latitudes = np.linspace(low, np.radians(82.0), HEAD_RINGS)
    rings = []
    for latitude in latitudes:
        xz = superellipse(
            _torso_angles(), a * np.cos(latitude), c * np.cos(latitude), 2.0
        )
        y = np.full(TORSO_POINTS, f.head_centre + b * np.sin(latitude))
        rings.append(np.column_stack([xz[:, 0], y, xz[:, 1] + 0.012]))
    return np.array(rings)


def _torso(builder: MeshBuilder, frame: _Frame, sections: dict) -> list[np.ndarray]:
    """Add the torso, neck and head; returns the ring indices bottom to top."""
    angles = _torso_angles()
    rings = []
    for y, w, d, z, exponent in _torso_levels(frame, sections):
        xz = superellipse(angles, w, d, exponent)
        points = np.column_stack([xz[:, 0], np.full(TORSO_POINTS, y), xz[:, 1] + z])
        rings.append(builder.add(points, TORSO))
    for points in _head_rings(frame):
        rings.append(builder.add(points, TORSO))
    pole = builder.add(np.array([[0.0, frame.head_top, 0.012]]), TORSO)[0]
    armpit = _armpit_ring_index()
    for k, (lower, upper) in enumerate(zip(rings[:-1], rings[1:], strict=True)):
        gap = np.zeros(TORSO_POINTS, dtype=bool)
        if armpit <= k < armpit + ARM_HOLE_ROWS:
            gap[_hole_quad_columns(0)] = True
            gap[_hole_quad_columns(TORSO_POINTS // 2)] = True
        builder.band_with_gap(lower, upper, gap)
    builder.fan(rings[-1], pole)
    return rings


def _armpit_ring_index() -> int:
    return 1 + sum(_TORSO_INTERVALS[:-1])


def _hole_quad_columns(centre: int) -> np.ndarray:
    half = ARM_HOLE_COLUMNS // 2
    return np.arange(centre - half, centre + half) % TORSO_POINTS


def _hole_rim(rings: list[np.ndarray], centre: int) -> np.ndarray:
    """Indices (2 * (rows + columns),) of an arm hole's rim.

    Along the armpit ring front to back, up the back column, back along the
    shoulder-top ring and down the front column: counter-clockwise seen
    from outside the hole, for either side.
    """
    half = ARM_HOLE_COLUMNS // 2
    columns = np.arange(centre - half, centre + half + 1) % TORSO_POINTS
    bottom, top = _armpit_ring_index(), _armpit_ring_index() + ARM_HOLE_ROWS
    rows = range(bottom + 1, top)
    return np.concatenate(
        [
            rings[bottom][columns],
            [rings[r][columns[-1]] for r in rows],
            rings[top][columns[::-1]],
            [rings[r][columns[0]] for r in reversed(rows)],
        ]
    )


def _arm(
    builder: MeshBuilder,
    vertices: np.ndarray,
    rim: np.ndarray,
    frame: _Frame,
    side: float,
    part: int,
) -> None:
    """Add an arm from a hole rim to a hand closed by a pole."""
    f = frame
    axis = _arm_axis(side)
    e1 = np.array([0.0, 0.0, 1.0])
    e2 = np.cross(axis, e1)
    shoulder = np.array([side * f.shoulder_x, f.shoulder_y, 0.0])
    rim_points = vertices[rim]
    theta = unwrapped_angles(rim_points, rim_points.mean(axis=0), e1, e2)
    rings = [rim]
    for place, r1, r2, blend in _densify(_ARM_RINGS):
        distance = _arm_distance(place, f)
        centre = shoulder + distance * axis
        ellipse = centre + f.arm_scale * (
            r1 * np.cos(theta)[:, None] * e1 + r2 * np.sin(theta)[:, None] * e2
        )
        points = (1.0 - blend) * rim_points + blend * ellipse
        rings.append(builder.add(points, part))
    builder.tube(rings)
    tip = shoulder + _arm_distance(3.0, f) * axis
    builder.fan(rings[-1], builder.add(tip[None], part)[0])


def _densify(table: tuple) -> np.ndarray:
    """A ring table with a linearly interpolated row between each pair."""
    rows = np.asarray(table, dtype=np.float64)
    middles = 0.5 * (rows[:-1] + rows[1:])
    dense = np.empty((2 * len(rows) - 1, rows.shape[1]))
    dense[0::2], dense[1::2] = rows, middles
    return dense


def _arm_distance(place: float, frame: _Frame) -> float:
    """Distance from the shoulder joint of an arm place (0..3), metres."""
    lengths = (frame.upper_arm, frame.forearm, HAND * frame.height)
    whole = min(int(place), 2)
    return sum(lengths[:whole]) + (place - whole) * lengths[whole]


def _leg(
    builder: MeshBuilder,
    vertices: np.ndarray,
    first: np.ndarray,
    frame: _Frame,
    side: float,
    part: int,
) -> None:
    """Add a leg from its first ring (half the torso bottom plus the seam)."""
    f = frame
    e1, e2 = np.array([1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0])
    first_points = vertices[first]
    top_centre = np.array([side * f.leg_top_x, f.crotch, -0.01])
    theta = unwrapped_angles(first_points, top_centre, e1, e2)
    cos, sin = np.cos(theta)[:, None], np.sin(theta)[:, None]

    def ring(y: float, rx: float, rz: float, dz: float) -> np.ndarray:
        x = side * _leg_axis_x(y, f)
        centre = np.array([x, y, dz])
        return centre + rx * cos * e1 + rz * sin * e2

    rings = [first]
    thigh_top = min(THIGH_TOP * f.leg_scale, 0.95 * f.leg_top_x)
    for drop, blend in ((0.008, 0.35), (0.02, 0.7), (0.035, 1.0)):
        target = ring(f.crotch - drop, thigh_top, thigh_top, -0.01)
        moved = first_points.copy()
        moved[:, 1] = np.minimum(moved[:, 1], f.crotch) - drop
        rings.append(builder.add((1 - blend) * moved + blend * target, part))
    for place, rx, rz, dz in _densify(_LEG_RINGS):
        y = (
            place * f.knee_y
            if place <= 1.0
            else (f.knee_y + (place - 1.0) * (f.ankle_y - f.knee_y))
        )
        rings.append(builder.add(ring(y, rx * f.leg_scale, rz * f.leg_scale, dz), part))
    scale = f.height / 1.70
    for above, rx, rz, dz in _FOOT_RINGS:
        points = ring(f.floor + above * scale, rx * scale, rz * scale, dz * scale)
        rings.append(builder.add(points, part))
    builder.tube(rings)
    sole = np.array([side * _leg_axis_x(f.floor, f), f.floor, 0.065 * scale])
    builder.fan(rings[-1], builder.add(sole[None], part)[0])


def _leg_axis_x(y: float, frame: _Frame) -> float:
    """|x| of a leg's axis at height ``y`` (crotch to ankle, then straight)."""
    share = np.clip((frame.crotch - y) / (frame.crotch - frame.ankle_y), 0.0, 1.0)
    return float(frame.leg_top_x + share * (frame.ankle_x - frame.leg_top_x))


def _crotch_seam(vertices: np.ndarray, bottom: np.ndarray, frame: _Frame) -> np.ndarray:
    """(SEAM_POINTS, 3) points along the midline from front to back centre."""
    front = vertices[bottom[3 * TORSO_POINTS // 4]]
    back = vertices[bottom[TORSO_POINTS // 4]]
    share = np.arange(1, SEAM_POINTS + 1) / (SEAM_POINTS + 1)
    points = front + share[:, None] * (back - front)
    points[:, 0] = 0.0
    points[:, 1] = (
        frame.bottom - (frame.bottom - frame.crotch) * np.sin(np.pi * share) ** 0.5
    )
    return points


def _anchors(frame: _Frame, joints: np.ndarray) -> dict:
    """Heights and points of body landmarks (see ``BodyModel.anchors``)."""
    f = frame
    return {
        "head_top": f.head_top,
        "neck": f.neck_base,
        "shoulder_top": f.shoulder_top,
        "chest": f.chest,
        "waist": f.waist,
        "hips": f.hip,
        "crotch": f.crotch,
        "thigh": f.crotch - 0.05 * f.height / 1.7,
        "knees": f.knee_y,
        "ankles": f.ankle_y,
        "floor": f.floor,
        "shoulders": joints[[6, 10]].copy(),
        "elbows": joints[[7, 11]].copy(),
        "wrists": joints[[8, 12]].copy(),
        "hip_joints": joints[[13, 16]].copy(),
    }


def build_mannequin(shape: BodyShape) -> Mannequin:
    """Loft the mannequin's surface and place its skeleton.

    Args:
        shape: the body's proportions.

    Returns:
        The surface, parts, skeleton and anchors in the rest A-pose.
    """
    frame = _frame(shape)
    sections = {
        name: section_size(getattr(shape, name), _EXPONENT[name])
        for name in ("hip", "waist", "chest")
    }
    builder = MeshBuilder()
    rings = _torso(builder, frame, sections)
    vertices = np.concatenate(builder._points)

    for side, centre, part in (
        (1.0, 0, LEFT_ARM),
        (-1.0, TORSO_POINTS // 2, RIGHT_ARM),
    ):
        _arm(builder, vertices, _hole_rim(rings, centre), frame, side, part)

    bottom = rings[0]
    seam = builder.add(_crotch_seam(vertices, bottom, frame), TORSO)
    vertices = np.concatenate(builder._points)
    quarter = TORSO_POINTS // 4
    left_arc = np.roll(bottom, -3 * quarter)[: 2 * quarter + 1][::-1]  # back..front
    right_arc = bottom[quarter : 3 * quarter + 1][::-1]  # front..back
    _leg(builder, vertices, np.concatenate([left_arc, seam]), frame, 1.0, LEFT_LEG)
    _leg(
        builder,
        vertices,
        np.concatenate([right_arc, seam[::-1]]),
        frame,
        -1.0,
        RIGHT_LEG,
    )

    points, faces, parts = builder.build()
    joints, ends = _skeleton(frame)
    return Mannequin(
        vertices=points,
        faces=faces,
        parts=parts,
        joints=joints,
        bone_ends=ends,
        anchors=_anchors(frame, joints),
        sections=sections,
    )
