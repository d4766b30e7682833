"""Example photos made by the project: its own mannequin, rendered.

A newcomer with no photo at hand clicks one of these. Each is the
mannequin of :mod:`tryon.body` built at a body shape, posed, dressed by
colouring its surface (skin, a T-shirt, trousers, shoes, a hair cap and a
painted face) and rendered by :mod:`render` in front of a plain studio
backdrop made in numpy. Nothing is downloaded or copied: every picture is
made at run time, and the exact skeleton of each is known, so the
pictures double as ground truth for the pose estimator.

Recipe of one picture (:func:`pose_example`, :func:`render_example`):

1. Build the body from the scene's measurements.
2. Turn each limb bone (two-bone inverse kinematics from the scene's limb
   directions) and run the forward kinematics of :mod:`tryon.body.posing`;
   skin the surface with the joint transforms.
3. Stand the posed body on the floor, turn it about the vertical and put
   it in front of a level camera at hip height, centred on it.
4. Colour the vertices by body part, render them with the default light,
   put the result over the backdrop and paint the face's features.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pose.landmarks import Landmark
from tryon.body import BodyModel, build_body, rest_landmarks, skin
from tryon.body.mannequin import (
    JOINT_NAMES,
    LEFT_ARM,
    LEFT_LEG,
    RIGHT_ARM,
    RIGHT_LEG,
    TORSO,
)
from tryon.body.posing import forward_kinematics, posed_landmarks

__all__ = [
    "EXAMPLE_SCENES",
    "ExampleScene",
    "Limb",
    "PosedExample",
    "photo_path",
    "pose_example",
    "render_example",
    "render_mannequin_photos",
    "vertex_colours",
    "with_hair",
]

logger = logging.getLogger(__name__)

# Picture size (width, height), pixels: a phone's portrait photo, reduced.
IMAGE_SIZE = (720, 960)
# Camera: level, this far in front of the body and this high above the floor.
CAMERA_DISTANCE_M = 2.2
CAMERA_HEIGHT_M = 1.0
# The backdrop's wall stands this far from the camera, metres.
WALL_DISTANCE_M = 4.0
# Hair: thickness of the cap, and the blend at its edge.
HAIR_THICKNESS_M = 0.012
HAIR_EDGE_M = 0.015
# The T-shirt's neckline, level, this far above the base of the neck (the
# torso's rings are level, so a level neckline follows mesh edges).
NECKLINE_ABOVE_NECK_M = 0.005
# Canonical axes (Y up, +Z front) to the camera's (y down, z forward) for a
# body facing the camera.
_CAMERA_FROM_CANONICAL = np.diag([1.0, -1.0, -1.0])
# Seed of the backdrop's sensor noise (pictures are reproducible).
NOISE_SEED = 7
NOISE_SIGMA = 2.0  # grey levels


@dataclass(frozen=True)
class Limb:
    """Where one arm or leg points, in the body's own (canonical) axes.

    Attributes:
        direction: (3,) from the shoulder (hip) to the wrist (ankle); X the
            person's left, Y up, Z front. Need not be unit length.
        reach: distance from the shoulder (hip) to the wrist (ankle) as a
            share of the limb's length; 1 is straight, less bends the
            elbow (knee).
        pole: (3,) the way the elbow (knee) points when the limb bends.
        end_direction: (3,) the way the hand (foot) points, or None to
            carry on the forearm's (shin's) direction.
    """

    direction: tuple[float, float, float]
    reach: float = 1.0
    pole: tuple[float, float, float] = (0.0, 0.0, 1.0)
    end_direction: tuple[float, float, float] | None = None

    def mirrored(self) -> Limb:
        """The same limb on the other side (X negated)."""

        def flip(vector: tuple[float, float, float] | None):
            return None if vector is None else (-vector[0], vector[1], vector[2])

        return Limb(
            flip(self.direction), self.reach, flip(self.pole), flip(self.end_direction)
        )


@dataclass(frozen=True)
class ExampleScene:
    """One example picture: a body shape, a pose and its colours.

    Attributes:
        name: file stem of the picture (``mannequin_<name>.png``).
        measurements_cm: the body's measurements (``build_body`` keys).
        left_arm, right_arm, left_leg, right_leg: the limbs' poses.
        turn_degrees: turn of the whole body about the vertical, seen from
            above; positive turns the person's front towards their left.
        shirt, trousers, skin, hair: '#rrggbb' colours.
        wall: '#rrggbb' colour of the backdrop at eye level.
    """

    name: str
    measurements_cm: Mapping[str, float]
    left_arm: Limb
    right_arm: Limb
    left_leg: Limb
    right_leg: Limb
    turn_degrees: float = 0.0
    shirt: str = "#2a7f8f"
    trousers: str = "#2b3550"
    skin: str = "#d9a58a"
    hair: str = "#3b2a20"
    wall: str = "#d8d4cc"


_LEG = Limb((0.08, -1.0, 0.0))
_ARM_DOWN = Limb((0.3, -1.0, 0.05), reach=0.98, pole=(0.0, 0.0, -1.0))

EXAMPLE_SCENES: tuple[ExampleScene, ...] = (
    # An average body (the canonical size M), arms relaxed, facing us.
    ExampleScene(
        name="average_standing",
        measurements_cm={
            "height": 170.0,
            "chest_girth": 96.0,
            "waist_girth": 82.0,
            "hip_girth": 100.0,
        },
        left_arm=_ARM_DOWN,
        right_arm=_ARM_DOWN.mirrored(),
        left_leg=_LEG,
        right_leg=_LEG.mirrored(),
    ),
    # A slim, taller body, hands on the hips, turned a little.
    ExampleScene(
        name="slim_hands_on_hips",
        measurements_cm={
            "height": 178.0,
            "chest_girth": 86.0,
            "waist_girth": 70.0,
            "hip_girth": 90.0,
        },
        left_arm=Limb(
            (-0.05, -1.0, -0.05),
            reach=0.62,
            pole=(1.0, 0.0, -0.4),
            end_direction=(0.0, -1.0, 0.3),
        ),
        right_arm=Limb(
            (0.05, -1.0, -0.05),
            reach=0.62,
            pole=(-1.0, 0.0, -0.4),
            end_direction=(0.0, -1.0, 0.3),
        ),
        left_leg=Limb((0.12, -1.0, 0.0)),
        right_leg=Limb((-0.12, -1.0, 0.0)),
        turn_degrees=20.0,
        shirt="#b8413a",
        trousers="#3a3a3f",
        skin="#c98d6e",
        hair="#1e1813",
    ),
    # A broad body, arms raised to the sides, turned the other way.
    ExampleScene(
        name="broad_arms_out",
        measurements_cm={
            "height": 182.0,
            "chest_girth": 114.0,
            "waist_girth": 104.0,
            "hip_girth": 110.0,
        },
        left_arm=Limb((1.0, -0.4, 0.1), pole=(0.0, 0.0, -1.0)),
        right_arm=Limb((-1.0, -0.4, 0.1), pole=(0.0, 0.0, -1.0)),
        left_leg=Limb((0.18, -1.0, 0.0)),
        right_leg=Limb((-0.18, -1.0, 0.0)),
        turn_degrees=-15.0,
        shirt="#d9a441",
        trousers="#24344f",
        skin="#e3b89c",
        hair="#5a3d28",
        wall="#cfd6dc",
    ),
    # A petite body waving, weight on one leg.
    ExampleScene(
        name="petite_waving",
        measurements_cm={
            "height": 158.0,
            "chest_girth": 88.0,
            "waist_girth": 72.0,
            "hip_girth": 98.0,
        },
        left_arm=Limb(
            (0.75, 0.6, 0.15),
            reach=0.72,
            pole=(1.0, -0.8, 0.0),
            end_direction=(0.1, 1.0, 0.0),
        ),
        right_arm=Limb((-0.42, -1.0, 0.05), reach=0.98, pole=(0.0, 0.0, -1.0)),
        left_leg=Limb((0.06, -1.0, 0.0)),
        right_leg=Limb((-0.14, -1.0, 0.06), reach=0.97),
        turn_degrees=10.0,
        shirt="#5b6fb5",
        trousers="#6b5a4a",
        skin="#b07a5a",
        hair="#15110e",
        wall="#dcd3c6",
    ),
)


@dataclass(frozen=True, eq=False)
class PosedExample:
    """A scene's posed body in its camera, with its exact skeleton.

    Attributes:
        scene: the scene that was posed.
        body: the rest body.
        vertices: (V, 3) float32, metres, camera frame (OpenCV).
        joints: (J, 3) float64 joint centres, camera frame.
        landmarks: (33, 3) float64 where the 33 BlazePose landmarks lie on
            the posed mannequin (``tryon.body.rest_landmarks`` carried by
            their bones), camera frame.
        head_transform: (4, 4) float64 rest canonical to camera frame of
            the head bone (to place the face's features).
        intrinsics: (3, 3) float64 camera matrix K, pixels.
        image_size: (width, height) pixels.
    """

    scene: ExampleScene
    body: BodyModel
    vertices: np.ndarray
    joints: np.ndarray
    landmarks: np.ndarray
    head_transform: np.ndarray
    intrinsics: np.ndarray
    image_size: tuple[int, int] = field(default=IMAGE_SIZE)

    @property
    def joints_px(self) -> np.ndarray:
        """(J, 2) float64 joint centres projected into the picture, pixels."""
        return _project(self.joints, self.intrinsics)

    @property
    def landmarks_px(self) -> np.ndarray:
        """(33, 2) float64 landmarks projected into the picture, pixels."""
        return _project(self.landmarks, self.intrinsics)

    def joint_px(self, name: str) -> np.ndarray:
        """(2,) pixel position of the joint called ``name``."""
        return self.joints_px[self.body.joint_names.index(name)]


def _project(points: np.ndarray, intrinsics: np.ndarray) -> np.ndarray:
    homogeneous = points @ intrinsics.T  # (N, 3)
    return homogeneous[:, :2] / homogeneous[:, 2:3]


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def _shortest_arc(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """(3, 3) rotation turning unit ``start`` onto unit ``end``.

    Rodrigues' formula about ``start x end``; for (nearly) opposite
    vectors, half a turn about an axis perpendicular to ``start`` first.
    """
    axis = np.cross(start, end)
    cosine = float(start @ end)
    if cosine < -0.9999:
        other = np.eye(3)[int(np.argmin(np.abs(start)))]
        perpendicular = _unit(np.cross(start, other))
        half_turn = 2.0 * np.outer(perpendicular, perpendicular) - np.eye(3)
        return _shortest_arc(-start, end) @ half_turn
    cross = np.array(
        [[0.0, -axis[2], axis[1]], [axis[2], 0.0, -axis[0]], [-axis[1], axis[0], 0.0]]
    )
    return np.eye(3) + cross + cross @ cross / (1.0 + cosine)


def _two_bone(limb: Limb, upper: float, lower: float) -> tuple[np.ndarray, np.ndarray]:
    """Directions of the upper and lower bone of a limb (two-bone IK).

    Args:
        limb: the limb's pose.
        upper, lower: the bones' lengths, metres.

    Returns:
        Two (3,) unit vectors, body axes.
    """
    direction = _unit(np.asarray(limb.direction, dtype=np.float64))
    reach = float(np.clip(limb.reach, 0.05, 0.9999)) * (upper + lower)
    reach = max(reach, abs(upper - lower) + 1e-4)
    # The middle joint lies off the start-to-end line, towards the pole.
    pole = np.asarray(limb.pole, dtype=np.float64)
    across = _unit(pole - (pole @ direction) * direction)
    cosine = (upper**2 + reach**2 - lower**2) / (2.0 * upper * reach)
    sine = math.sqrt(max(0.0, 1.0 - cosine**2))
    middle = upper * (cosine * direction + sine * across)  # (3,)
    end = reach * direction  # (3,)
    return _unit(middle), _unit(end - middle)


def _bone_direction(body: BodyModel, joint: int) -> np.ndarray:
    return _unit(body.bone_ends[joint].astype(np.float64) - body.joints[joint])


def _limb_rotations(
    body: BodyModel, rotations: np.ndarray, names: tuple[str, str, str], limb: Limb
) -> None:
    """Fill the global rotations (3, 3) of one limb's three bones in place."""
    first, middle, end = (JOINT_NAMES.index(name) for name in names)
    length_upper = float(np.linalg.norm(body.joints[middle] - body.joints[first]))
    length_lower = float(np.linalg.norm(body.joints[end] - body.joints[middle]))
    upper, lower = _two_bone(limb, length_upper, length_lower)
    parent = rotations[body.parents[first]]
    rotations[first] = _shortest_arc(parent @ _bone_direction(body, first), upper)
    rotations[first] = rotations[first] @ parent
    rest_lower = rotations[first] @ _bone_direction(body, middle)
    rotations[middle] = _shortest_arc(rest_lower, lower) @ rotations[first]
    rotations[end] = rotations[middle]
    if limb.end_direction is not None:
        rest_end = rotations[middle] @ _bone_direction(body, end)
        wanted = _unit(np.asarray(limb.end_direction, dtype=np.float64))
        rotations[end] = _shortest_arc(rest_end, wanted) @ rotations[middle]


def _rotations(body: BodyModel, scene: ExampleScene) -> np.ndarray:
    """Global rotations (J, 3, 3) of every bone; the torso stays upright."""
    rotations = np.tile(np.eye(3), (len(body.joint_names), 1, 1))  # (J, 3, 3)
    limbs = (
        (("left_shoulder", "left_elbow", "left_wrist"), scene.left_arm),
        (("right_shoulder", "right_elbow", "right_wrist"), scene.right_arm),
        (("left_hip", "left_knee", "left_ankle"), scene.left_leg),
        (("right_hip", "right_knee", "right_ankle"), scene.right_leg),
    )
    for names, limb in limbs:
        _limb_rotations(body, rotations, names, limb)
    return rotations


def _camera_from_body(
    scene: ExampleScene, posed: np.ndarray, K: np.ndarray
) -> np.ndarray:
    """(4, 4) posed body frame to camera frame.

    The body is turned about its vertical axis, then seen by a level
    camera ``CAMERA_DISTANCE_M`` in front of it, ``CAMERA_HEIGHT_M`` above
    the floor (the lowest point of the body), and sideways in the middle
    of the body's extent (arms out and turned, a body is lopsided).

    Args:
        scene: the turn.
        posed: (V, 3) the posed vertices, body frame.
        K: (3, 3) the camera's intrinsics, pixels.
    """
    angle = math.radians(scene.turn_degrees)
    turn = np.array(
        [
            [math.cos(angle), 0.0, math.sin(angle)],
            [0.0, 1.0, 0.0],
            [-math.sin(angle), 0.0, math.cos(angle)],
        ]
    )
    turned = posed @ turn.T  # (V, 3)
    floor = float(turned[:, 1].min())
    camera_position = np.array([0.0, floor + CAMERA_HEIGHT_M, CAMERA_DISTANCE_M])
    transform = np.eye(4)
    transform[:3, :3] = _CAMERA_FROM_CANONICAL @ turn

    # Slide the camera sideways until the body's picture is centred.
    for _ in range(3):
        transform[:3, 3] = -_CAMERA_FROM_CANONICAL @ camera_position
        pixels = _project(turned @ _CAMERA_FROM_CANONICAL.T + transform[:3, 3], K)
        off_centre = 0.5 * (pixels[:, 0].min() + pixels[:, 0].max()) - K[0, 2]
        camera_position[0] += off_centre * CAMERA_DISTANCE_M / K[0, 0]
    transform[:3, 3] = -_CAMERA_FROM_CANONICAL @ camera_position
    return transform


def pose_example(scene: ExampleScene) -> PosedExample:
    """Pose a scene's body and place it in the scene's camera.

    Cheap (no rendering): tests use it for the ground truth of a picture.

    Args:
        scene: the example to pose.

    Returns:
        The posed body, its joints and landmarks, camera frame.
    """
    from render import intrinsics_for_image

    body = build_body(scene.measurements_cm)

    # 1. Bones turned, forward kinematics from the pelvis (origin).
    body_transforms = forward_kinematics(body, _rotations(body, scene))  # (J, 4, 4)
    rest = with_hair(body)  # (V, 3)
    posed = skin(rest, body.skin_weights, body_transforms)  # (V, 3)

    # 2. On the floor, turned, in front of the camera.
    width, height = IMAGE_SIZE
    K = intrinsics_for_image(width, height).K
    camera_from_body = _camera_from_body(scene, posed, K)
    transforms = camera_from_body @ body_transforms  # (J, 4, 4)
    vertices = skin(rest, body.skin_weights, transforms)  # (V, 3)
    joints = np.einsum("jab,jb->ja", transforms[:, :3, :3], body.joints)
    joints = joints + transforms[:, :3, 3]  # (J, 3)
    landmarks = posed_landmarks(rest_landmarks(body), transforms)  # (33, 3)
    return PosedExample(
        scene=scene,
        body=body,
        vertices=vertices,
        joints=joints,
        landmarks=landmarks,
        head_transform=transforms[JOINT_NAMES.index("head")],
        intrinsics=K,
        image_size=IMAGE_SIZE,
    )


def _hex(colour: str) -> np.ndarray:
    """'#rrggbb' to (3,) float64 sRGB in 0..1."""
    text = colour.lstrip("#")
    return np.array([int(text[i : i + 2], 16) / 255.0 for i in (0, 2, 4)])


def _head_span(body: BodyModel) -> tuple[float, float]:
    """Heights (canonical y) of the chin and the head top, metres."""
    chin = float(body.joints[JOINT_NAMES.index("head")][1])
    return chin, float(body.anchors["head_top"])


def _hair_share(body: BodyModel, vertices: np.ndarray) -> np.ndarray:
    """(V,) 0..1: how far each vertex is inside the hair cap.

    The hairline is high on the forehead and drops towards the nape; the
    share rises from 0 to 1 over ``HAIR_EDGE_M`` above it. Vertices of
    the limbs are for the caller to leave out.
    """
    chin, top = _head_span(body)
    front = np.clip((vertices[:, 2] + 0.02) / 0.08, 0.0, 1.0)  # 0 back, 1 face
    hairline = chin + (top - chin) * (0.2 + 0.55 * front)  # (V,)
    share = np.clip((vertices[:, 1] - hairline) / HAIR_EDGE_M, 0.0, 1.0)
    return np.where(vertices[:, 1] > chin, share, 0.0)


def with_hair(body: BodyModel) -> np.ndarray:
    """The rest vertices with the hair cap raised ``HAIR_THICKNESS_M``.

    Returns:
        (V, 3) float32, canonical frame, metres.
    """
    from render.mesh import vertex_normals

    vertices = body.vertices.astype(np.float64)
    share = _hair_share(body, vertices) * (body.parts == TORSO)  # (V,)
    normals = vertex_normals(vertices, body.faces)  # (V, 3)
    raised = vertices + (HAIR_THICKNESS_M * share)[:, None] * normals
    return raised.astype(np.float32)


def _along_upper_arm(body: BodyModel, vertices: np.ndarray, side: str) -> np.ndarray:
    """(V,) distance from the shoulder along the upper arm, in upper arms."""
    shoulder = body.joints[JOINT_NAMES.index(f"{side}_shoulder")].astype(np.float64)
    elbow = body.joints[JOINT_NAMES.index(f"{side}_elbow")].astype(np.float64)
    axis = elbow - shoulder
    return (vertices - shoulder) @ axis / float(axis @ axis)


def vertex_colours(body: BodyModel, scene: ExampleScene) -> np.ndarray:
    """sRGB colour of each vertex: skin, T-shirt, trousers, shoes, hair.

    Decided on the rest body (canonical frame) from each vertex's part
    and height, so the clothes follow the body when it is posed.

    Args:
        body: the rest body.
        scene: the colours.

    Returns:
        (V, 3) float32 sRGB colours in 0..1.
    """
    vertices = body.vertices.astype(np.float64)  # (V, 3)
    parts, y = body.parts, vertices[:, 1]
    anchors = body.anchors
    colours = np.tile(_hex(scene.skin), (len(vertices), 1))  # (V, 3)

    # T-shirt: the torso from the hem to the neckline, and short sleeves.
    hem = anchors["hips"] + 0.3 * (anchors["waist"] - anchors["hips"])
    torso = parts == TORSO
    colours[torso & (y < anchors["neck"] + NECKLINE_ABOVE_NECK_M)] = _hex(scene.shirt)
    for part, side in ((LEFT_ARM, "left"), (RIGHT_ARM, "right")):
        sleeve = (parts == part) & (_along_upper_arm(body, vertices, side) < 0.45)
        colours[sleeve] = _hex(scene.shirt)

    # Trousers below the hem, shoes below the ankles.
    legs = (parts == LEFT_LEG) | (parts == RIGHT_LEG)
    colours[(torso & (y < hem)) | legs] = _hex(scene.trousers)
    colours[legs & (y < anchors["ankles"] + 0.02)] = _hex("#2a2522")

    # A hair cap on the head.
    colours[torso & (_hair_share(body, vertices) > 0.5)] = _hex(scene.hair)
    return colours.astype(np.float32)


# Features painted on the face: (name, x, height share between chin and
# head top, half width, half height (metres), '#rrggbb').
_FACE = (
    ("left_brow", 0.034, 0.62, 0.012, 0.0025, "#3b2a20"),
    ("right_brow", -0.034, 0.62, 0.012, 0.0025, "#3b2a20"),
    ("left_eye", 0.032, 0.52, 0.009, 0.0045, "#f2efe9"),
    ("right_eye", -0.032, 0.52, 0.009, 0.0045, "#f2efe9"),
    ("left_iris", 0.032, 0.52, 0.0045, 0.0045, "#2a2320"),
    ("right_iris", -0.032, 0.52, 0.0045, 0.0045, "#2a2320"),
    ("nose", 0.0, 0.33, 0.008, 0.005, "#000000"),
    ("mouth", 0.0, 0.18, 0.013, 0.0035, "#9c4a45"),
)
NOSE_SHADOW = 0.18  # the nose darkens the skin by this share


def _face_surface(body: BodyModel, points_xy: np.ndarray) -> np.ndarray:
    """Front-most points of the head's surface above given (x, y).

    Args:
        body: the rest body.
        points_xy: (P, 2) canonical x and y, metres.

    Returns:
        (P, 3) float64 points on the surface, canonical frame; z is -inf
        where no face of the head lies under a point.
    """
    vertices = body.vertices.astype(np.float64)
    chin, _ = _head_span(body)
    corners = vertices[body.faces]  # (F, 3, 3)
    head = (corners[:, :, 1].min(axis=1) > chin - 0.03) & (
        corners[:, :, 2].max(axis=1) > 0.0
    )
    corners = corners[head]  # (F', 3, 3)

    # Barycentric coordinates of each point in each face, seen along Z.
    a, b, c = corners[:, 0, :2], corners[:, 1, :2], corners[:, 2, :2]  # (F', 2)
    v0, v1 = b - a, c - a
    denominator = v0[:, 0] * v1[:, 1] - v1[:, 0] * v0[:, 1]  # (F',)
    denominator = np.where(np.abs(denominator) < 1e-12, 1e-12, denominator)
    offsets = points_xy[:, None, :] - a[None]  # (P, F', 2)
    u = (offsets[..., 0] * v1[:, 1] - v1[:, 0] * offsets[..., 1]) / denominator
    v = (v0[:, 0] * offsets[..., 1] - offsets[..., 0] * v0[:, 1]) / denominator
    inside = (u >= 0) & (v >= 0) & (u + v <= 1)  # (P, F')
    z = (1 - u - v) * corners[:, 0, 2] + u * corners[:, 1, 2] + v * corners[:, 2, 2]
    z = np.where(inside, z, -np.inf).max(axis=1)  # (P,)
    return np.column_stack([points_xy, z])


def _paint_face(picture: np.ndarray, posed: PosedExample) -> np.ndarray:
    """Brows, eyes, nose shadow and mouth painted on the rendered head.

    Each feature is a small ellipse on the face, in the head's own plane,
    carried by the head bone and projected, so a turned head shows it
    foreshortened.

    Note:
        Painted over the rendered picture: nothing may be in front of the
        face (no scene raises a hand before it), and a head turned more
        than about 70 degrees from the camera gets no face at all.
    """

    body, transform = posed.body, posed.head_transform
    chin, top = _head_span(body)
    centres_xy = np.array(
        [(x, chin + share * (top - chin)) for _, x, share, *_ in _FACE]
    )
    centres = _face_surface(body, centres_xy)  # (P, 3), rest canonical
    facing = transform[:3, :3] @ np.array([0.0, 0.0, 1.0])  # head front, camera
    head_centre = transform[:3, :3] @ centres.mean(axis=0) + transform[:3, 3]
    if float(facing @ _unit(-head_centre)) < 0.3:
        return picture

    canvas = picture.astype(np.float32)
    for (name, _, _, half_width, half_height, colour), centre in zip(
        _FACE, centres, strict=True
    ):
        if not np.isfinite(centre[2]):
            logger.debug("no face surface under the %s; not painted", name)
            continue
        ring = _ellipse(centre, half_width, half_height)  # (24, 3), rest
        camera = ring @ transform[:3, :3].T + transform[:3, 3]
        polygon = _project(camera, posed.intrinsics)  # (24, 2)
        if name == "nose":
            _fill(canvas, polygon, None, NOSE_SHADOW)
        else:
            _fill(canvas, polygon, _hex(colour) * 255.0, 1.0)
    return canvas


def _ellipse(centre: np.ndarray, half_width: float, half_height: float) -> np.ndarray:
    """(24, 3) points of a level ellipse 2 mm in front of a face point."""
    angles = np.linspace(0.0, 2.0 * np.pi, 24, endpoint=False)
    return np.column_stack(
        [
            centre[0] + half_width * np.cos(angles),
            centre[1] + half_height * np.sin(angles),
            np.full_like(angles, centre[2] + 0.002),
        ]
    )


def _fill(
    canvas: np.ndarray, polygon: np.ndarray, colour: np.ndarray | None, opacity: float
) -> None:
    """Fill a polygon anti-aliased, in place, within its bounding box.

    Args:
        canvas: (H, W, 3) float32 picture, 0..255.
        polygon: (N, 2) pixels.
        colour: (3,) 0..255 paint, or None to darken by ``opacity``.
        opacity: 0..1.
    """
    import cv2

    height, width = canvas.shape[:2]
    left, top = np.floor(polygon.min(axis=0)).astype(int) - 2
    right, bottom = np.ceil(polygon.max(axis=0)).astype(int) + 2
    left, top = max(left, 0), max(top, 0)
    right, bottom = min(right, width), min(bottom, height)
    if right <= left or bottom <= top:
        return
    mask = np.zeros((bottom - top, right - left), np.uint8)
    points = np.rint((polygon - (left, top)) * 16).astype(np.int32)
    cv2.fillPoly(mask, [points], 255, cv2.LINE_AA, shift=4)  # 4 fraction bits
    alpha = opacity * mask.astype(np.float32)[..., None] / 255.0  # (h, w, 1)
    box = canvas[top:bottom, left:right]
    if colour is None:
        box *= 1.0 - alpha
    else:
        box *= 1.0 - alpha
        box += alpha * colour.astype(np.float32)


def _backdrop(posed: PosedExample) -> np.ndarray:
    """(H, W, 3) float32 studio backdrop, 0..255: a wall, a floor, a shadow.

    The wall, ``WALL_DISTANCE_M`` from the camera, darkens towards its
    sides, top and bottom; the floor meets it where a floor that far away
    projects, and a soft shadow lies under the feet.
    """
    import cv2

    width, height = posed.image_size
    K = posed.intrinsics
    rows = np.arange(height, dtype=np.float32)[:, None]  # (H, 1)
    cols = np.arange(width, dtype=np.float32)[None, :]  # (1, W)
    across = (cols - K[0, 2]) / width  # (1, W), -0.5..0.5

    # Wall: brightest at eye level in the middle.
    wall = _hex(posed.scene.wall).astype(np.float32) * 255.0
    fall = 1.0 - 0.25 * across**2 - 0.12 * ((rows - K[1, 2]) / height) ** 2  # (H, W)
    picture = fall[..., None] * wall  # (H, W, 3)

    # Floor: from where a floor WALL_DISTANCE_M away meets the wall, down.
    horizon = K[1, 2] + K[1, 1] * CAMERA_HEIGHT_M / WALL_DISTANCE_M
    floor = (wall * np.array([0.78, 0.74, 0.70])).astype(np.float32)
    shade = 0.9 + 0.2 * np.clip((rows - horizon) / (height - horizon), 0, 1)
    on_floor = np.broadcast_to(rows >= horizon, (height, width))
    picture[on_floor] = (shade * (1.0 - 0.2 * across**2))[..., None][on_floor] * floor

    # Contact shadow: a blurred ellipse around the feet.
    heels = [Landmark.LEFT_HEEL, Landmark.RIGHT_HEEL]
    feet = posed.landmarks_px[heels]  # (2, 2)
    depth = float(posed.landmarks[heels, 2].mean())
    half_width = 0.5 * abs(feet[0, 0] - feet[1, 0]) + K[0, 0] * 0.12 / depth
    half_height = 0.2 * half_width
    shadow = np.zeros((height, width), np.float32)
    centre = (round(feet[:, 0].mean()), round(feet[:, 1].max()))
    axes = (max(1, round(half_width)), max(1, round(half_height)))
    cv2.ellipse(shadow, centre, axes, 0.0, 0.0, 360.0, 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), max(2.0, 0.5 * half_height))
    picture *= 1.0 - 0.4 * shadow[..., None]
    return picture


def _over(layers_rgba: np.ndarray, backdrop: np.ndarray) -> np.ndarray:
    """Premultiplied render layers (H, W, 4) in 0..1 over a 0..255 backdrop."""
    alpha = layers_rgba[..., 3:4]
    return layers_rgba[..., :3] * 255.0 + (1.0 - alpha) * backdrop


def _to_uint8(picture: np.ndarray) -> np.ndarray:
    """0..255 float picture plus seeded sensor noise, as (H, W, 3) uint8."""
    noise = np.random.default_rng(NOISE_SEED).standard_normal(
        picture.shape, dtype=np.float32
    )
    return np.clip(np.rint(picture + NOISE_SIGMA * noise), 0, 255).astype(np.uint8)


def render_example(scene: ExampleScene, renderer=None) -> np.ndarray:
    """The picture of one example scene.

    Args:
        scene: what to show.
        renderer: a warm ``render.Renderer`` to use (its size is
            overridden per call), or None to make one for this call.

    Returns:
        (H, W, 3) uint8 sRGB picture, ``IMAGE_SIZE`` (width, height).

    Raises:
        render.RenderError: no OpenGL context could be made.
    """
    from render import GarmentMesh, Material, Renderer

    posed = pose_example(scene)
    mesh = GarmentMesh(
        posed.vertices,
        posed.body.faces,
        vertex_colours=vertex_colours(posed.body, scene),
    )
    material = Material(base_colour=(1.0, 1.0, 1.0), roughness=0.8, sheen=0.15)
    own = renderer is None
    renderer = Renderer(*posed.image_size) if own else renderer
    try:
        layers = renderer.render(
            mesh, material, posed.intrinsics, size=posed.image_size
        )
    finally:
        if own:
            renderer.close()
    picture = _over(layers.rgba, _backdrop(posed))
    return _to_uint8(_paint_face(picture, posed))


def photo_path(folder: Path, scene: ExampleScene) -> Path:
    """Where the picture of ``scene`` is kept in ``folder``."""
    return folder / f"mannequin_{scene.name}.png"


def _write_png(path: Path, picture: np.ndarray) -> None:
    """Write atomically: a half-written file is never left under ``path``."""
    from PIL import Image

    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    Image.fromarray(picture).save(partial, format="PNG")
    os.replace(partial, path)


def render_mannequin_photos(folder: Path, *, force: bool = False) -> list[Path]:
    """Example photos of the project's mannequin, made once in ``folder``.

    One PNG per scene of ``EXAMPLE_SCENES`` (an average body standing, a
    slim one with hands on hips, a broad one with arms out, a petite one
    waving), each a 720 x 960 portrait with the whole body in the frame,
    named ``mannequin_<scene name>.png``. Other files in ``folder`` are
    left alone and not returned.

    Args:
        folder: where the pictures are kept (made if missing).
        force: render again even if the pictures are there.

    Returns:
        The PNG paths, in the order of ``EXAMPLE_SCENES``. Pictures
        already in ``folder`` are reused, so a second call costs nothing.

    Raises:
        render.RenderError: no OpenGL context could be made.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [photo_path(folder, scene) for scene in EXAMPLE_SCENES]
    missing = [
        (scene, path)
        for scene, path in zip(EXAMPLE_SCENES, paths, strict=True)
        if force or not path.exists()
    ]
    if not missing:
        return paths

    from render import Renderer

    start = time.perf_counter()
    with Renderer(*IMAGE_SIZE) as renderer:
        for scene, path in missing:
            _write_png(path, render_example(scene, renderer))
    logger.info(
        "rendered %d mannequin example photos into %s in %.0f ms",
        len(missing),
        folder,
        (time.perf_counter() - start) * 1000.0,
    )
    return paths
