"""Posing the mannequin as a photo's person and placing it in the camera.

Recipe of :func:`pose_body`:

1. Turn MediaPipe's world landmarks (x to the image's right, y down, z
   away from the camera) into the canonical axes (Y up, +Z the body's
   front when it faces the camera): the "posed body frame", origin midway
   between the hips, as MediaPipe's.
2. Rotations per bone: the pelvis from the hip line and the trunk's axis,
   the chest from the shoulder line and the trunk's axis, the spine half
   way between them, the head from the ear line; every limb bone by the
   shortest arc that turns its rest direction (carried by its parent) onto
   the direction between its landmarks. Each rotation is taken relative to
   the same construction on the mannequin's own rest landmarks, so the
   rest pose maps to identity rotations.
3. Forward kinematics with the mannequin's own bone lengths: joint
   positions and the transforms (J, 4, 4) from rest canonical coordinates
   to the posed body frame.
4. Placement: the camera pose of the posed skeleton's landmarks against
   the photo's visible 2-D landmarks (RANSAC with EPnP, then
   Levenberg-Marquardt refinement on the inliers), with the photo's
   intrinsics. The mannequin keeps its own size (built at the person's
   height), so the distance to the camera follows from it.
5. Linear blend skinning of the surface into the camera frame.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from pose.landmarks import NUM_LANDMARKS, Landmark
from pose.result import PoseResult
from tryon.body.collider import register_vertices
from tryon.body.errors import PoseNotUsable
from tryon.body.mannequin import JOINT_NAMES
from tryon.body.model import BodyModel
from tryon.body.skinning import skin

__all__ = [
    "CANONICAL_FROM_MEDIAPIPE",
    "PosedBody",
    "pose_body",
    "rest_landmarks",
    "posed_landmarks",
]

logger = logging.getLogger(__name__)

# MediaPipe's world axes (x right, y down, z away from the camera) to the
# canonical axes (X the person's left, Y up, Z the person's front).
CANONICAL_FROM_MEDIAPIPE = np.diag([1.0, -1.0, -1.0])
VISIBLE = 0.5
MIN_POINTS = 6  # landmarks needed to place the camera
_L = Landmark
_J = {name: index for index, name in enumerate(JOINT_NAMES)}

# Landmarks used to place the camera: the body's joints, feet and head.
PLACEMENT_LANDMARKS = (
    _L.NOSE,
    _L.LEFT_EAR,
    _L.RIGHT_EAR,
    _L.LEFT_SHOULDER,
    _L.RIGHT_SHOULDER,
    _L.LEFT_ELBOW,
    _L.RIGHT_ELBOW,
    _L.LEFT_WRIST,
    _L.RIGHT_WRIST,
    _L.LEFT_HIP,
    _L.RIGHT_HIP,
    _L.LEFT_KNEE,
    _L.RIGHT_KNEE,
    _L.LEFT_ANKLE,
    _L.RIGHT_ANKLE,
    _L.LEFT_HEEL,
    _L.RIGHT_HEEL,
    _L.LEFT_FOOT_INDEX,
    _L.RIGHT_FOOT_INDEX,
)

# The bone that carries each landmark.
_LANDMARK_BONE = np.array(
    [_J["head"]] * 11
    + [
        _J["left_clavicle"],
        _J["right_clavicle"],
        _J["left_shoulder"],
        _J["right_shoulder"],
        _J["left_elbow"],
        _J["right_elbow"],
        _J["left_wrist"],
        _J["right_wrist"],
        _J["left_wrist"],
        _J["right_wrist"],
        _J["left_wrist"],
        _J["right_wrist"],
        _J["pelvis"],
        _J["pelvis"],
        _J["left_hip"],
        _J["right_hip"],
        _J["left_knee"],
        _J["right_knee"],
        _J["left_ankle"],
        _J["right_ankle"],
        _J["left_ankle"],
        _J["right_ankle"],
    ]
)

# Face landmarks from the head's centre, metres for a 170 cm body.
_FACE_OFFSETS_M = {
    _L.NOSE: (0.0, -0.03, 0.105),
    _L.LEFT_EYE_INNER: (0.016, 0.005, 0.085),
    _L.LEFT_EYE: (0.032, 0.005, 0.08),
    _L.LEFT_EYE_OUTER: (0.046, 0.005, 0.07),
    _L.RIGHT_EYE_INNER: (-0.016, 0.005, 0.085),
    _L.RIGHT_EYE: (-0.032, 0.005, 0.08),
    _L.RIGHT_EYE_OUTER: (-0.046, 0.005, 0.07),
    _L.LEFT_EAR: (0.078, 0.0, -0.005),
    _L.RIGHT_EAR: (-0.078, 0.0, -0.005),
    _L.MOUTH_LEFT: (0.025, -0.06, 0.085),
    _L.MOUTH_RIGHT: (-0.025, -0.06, 0.085),
}

# Limb bones: (joint, landmark at the bone's start, landmark(s) at its end).
_LIMBS = (
    ("left_shoulder", (_L.LEFT_SHOULDER,), (_L.LEFT_ELBOW,)),
    ("left_elbow", (_L.LEFT_ELBOW,), (_L.LEFT_WRIST,)),
    ("left_wrist", (_L.LEFT_WRIST,), (_L.LEFT_INDEX, _L.LEFT_PINKY)),
    ("right_shoulder", (_L.RIGHT_SHOULDER,), (_L.RIGHT_ELBOW,)),
    ("right_elbow", (_L.RIGHT_ELBOW,), (_L.RIGHT_WRIST,)),
    ("right_wrist", (_L.RIGHT_WRIST,), (_L.RIGHT_INDEX, _L.RIGHT_PINKY)),
    ("left_hip", (_L.LEFT_HIP,), (_L.LEFT_KNEE,)),
    ("left_knee", (_L.LEFT_KNEE,), (_L.LEFT_ANKLE,)),
    ("left_ankle", (_L.LEFT_HEEL,), (_L.LEFT_FOOT_INDEX,)),
    ("right_hip", (_L.RIGHT_HIP,), (_L.RIGHT_KNEE,)),
    ("right_knee", (_L.RIGHT_KNEE,), (_L.RIGHT_ANKLE,)),
    ("right_ankle", (_L.RIGHT_HEEL,), (_L.RIGHT_FOOT_INDEX,)),
)


@dataclass(frozen=True, eq=False)
class PosedBody:
    """A body posed as the person in a photo, in the camera frame.

    Attributes:
        vertices: (V, 3) float32, metres, camera frame (OpenCV: x right,
            y down, z forward).
        joint_transforms: (J, 4, 4) float64 rigid transforms from rest
            canonical coordinates to the camera frame (for skinning).
        camera_from_body: (4, 4) float64 from the posed body frame
            (canonical axes, origin midway between the hips, oriented as
            MediaPipe's world landmarks) to the camera frame.
        reprojection_error_px: median distance in pixels between the
            posed skeleton's projected landmarks and the photo's, over the
            landmarks used to place the camera.
        joints: (J, 3) float64 posed joint centres, camera frame.
        landmarks: (33, 3) float64 the posed skeleton's landmarks, camera
            frame.
        used: (33,) bool landmarks that placed the camera (visible and
            inliers).
        body: the rest body that was posed.
    """

    vertices: np.ndarray
    joint_transforms: np.ndarray
    camera_from_body: np.ndarray
    reprojection_error_px: float
    joints: np.ndarray
    landmarks: np.ndarray
    used: np.ndarray
    body: BodyModel


def rest_landmarks(body: BodyModel) -> np.ndarray:
    """Where the 33 BlazePose landmarks lie on the rest mannequin.

    Args:
        body: the mannequin.

    Returns:
        (33, 3) float64, metres, canonical body frame.
    """
    joints = body.joints.astype(np.float64)
    ends = body.bone_ends.astype(np.float64)
    points = np.zeros((NUM_LANDMARKS, 3))
    scale = body.height_m / 1.70
    head_centre = np.array(
        [0.0, body.anchors["head_top"] - 0.065 * body.height_m, 0.012]
    )
    for landmark, offset in _FACE_OFFSETS_M.items():
        points[landmark] = head_centre + scale * np.asarray(offset)
    for prefix in ("left", "right"):
        wrist, tip = joints[_J[f"{prefix}_wrist"]], ends[_J[f"{prefix}_wrist"]]
        across = np.array([0.0, 0.0, 0.025]) * scale  # half the palm's width
        ankle = joints[_J[f"{prefix}_ankle"]]
        heel = (ankle[0], body.anchors["floor"] + 0.02 * scale, -0.05 * scale)
        names = {
            "SHOULDER": joints[_J[f"{prefix}_shoulder"]],
            "ELBOW": joints[_J[f"{prefix}_elbow"]],
            "WRIST": wrist,
            "INDEX": wrist + 0.8 * (tip - wrist) + across,
            "PINKY": wrist + 0.8 * (tip - wrist) - across,
            "THUMB": wrist + 0.4 * (tip - wrist) + 1.6 * across,
            "HIP": joints[_J[f"{prefix}_hip"]],
            "KNEE": joints[_J[f"{prefix}_knee"]],
            "ANKLE": ankle,
            "HEEL": np.asarray(heel),
            "FOOT_INDEX": ends[_J[f"{prefix}_ankle"]],
        }
        for name, point in names.items():
            points[_L[f"{prefix.upper()}_{name}"]] = point
    return points


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


def _frame(across: np.ndarray, up: np.ndarray) -> np.ndarray:
    """(3, 3) rotation whose columns are ``across``, ``up`` (made
    orthogonal) and their cross product."""
    x = _unit(across)
    y = _unit(up - (up @ x) * x)
    return np.column_stack([x, y, np.cross(x, y)])


def _shortest_arc(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """(3, 3) rotation turning unit ``start`` onto unit ``end``."""
    axis = np.cross(start, end)
    cosine = float(start @ end)
    if cosine < -0.9999:  # opposite: half a turn about any perpendicular
        other = np.array([1.0, 0.0, 0.0]) if abs(start[0]) < 0.9 else np.eye(3)[1]
        perpendicular = _unit(np.cross(start, other))
        return 2.0 * np.outer(perpendicular, perpendicular) - np.eye(3)
    cross = np.array(
        [[0.0, -axis[2], axis[1]], [axis[2], 0.0, -axis[0]], [-axis[1], axis[0], 0.0]]
    )
    return np.eye(3) + cross + cross @ cross / (1.0 + cosine)


def _half_way(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The rotation half way from ``first`` to ``second`` (3, 3)."""
    relative = first.T @ second
    angle = np.arccos(np.clip((np.trace(relative) - 1.0) / 2.0, -1.0, 1.0))
    if angle < 1e-6:
        return first
    axis = np.array(
        [
            relative[2, 1] - relative[1, 2],
            relative[0, 2] - relative[2, 0],
            relative[1, 0] - relative[0, 1],
        ]
    ) / (2.0 * np.sin(angle))
    axis = _unit(axis)
    half = angle / 2.0
    cross = np.array(
        [[0.0, -axis[2], axis[1]], [axis[2], 0.0, -axis[0]], [-axis[1], axis[0], 0.0]]
    )
    rotation = np.eye(3) + np.sin(half) * cross + (1.0 - np.cos(half)) * cross @ cross
    return first @ rotation


def _torso_frames(points: np.ndarray) -> dict[str, np.ndarray]:
    """Pelvis, chest and head frames (3, 3) from landmarks (33, 3)."""
    hips = points[_L.LEFT_HIP] - points[_L.RIGHT_HIP]
    shoulders = points[_L.LEFT_SHOULDER] - points[_L.RIGHT_SHOULDER]
    mid_hip = 0.5 * (points[_L.LEFT_HIP] + points[_L.RIGHT_HIP])
    mid_shoulder = 0.5 * (points[_L.LEFT_SHOULDER] + points[_L.RIGHT_SHOULDER])
    mid_ear = 0.5 * (points[_L.LEFT_EAR] + points[_L.RIGHT_EAR])
    ears = points[_L.LEFT_EAR] - points[_L.RIGHT_EAR]
    return {
        "pelvis": _frame(hips, mid_shoulder - mid_hip),
        "chest": _frame(shoulders, mid_shoulder - mid_hip),
        "head": _frame(ears, mid_ear - mid_shoulder),
    }


def _end_point(points: np.ndarray, landmarks: tuple[Landmark, ...]) -> np.ndarray:
    return points[list(landmarks)].mean(axis=0)


def bone_rotations(rest: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Global rotation of every bone, posed body frame from rest frame.

    Args:
        rest: (33, 3) the mannequin's rest landmarks, canonical frame.
        observed: (33, 3) the person's landmarks in canonical axes.

    Returns:
        (J, 3, 3) float64 rotations.
    """
    rest_frames, seen_frames = _torso_frames(rest), _torso_frames(observed)
    turn = {name: seen_frames[name] @ rest_frames[name].T for name in rest_frames}
    rotations = np.zeros((len(JOINT_NAMES), 3, 3))
    rotations[_J["pelvis"]] = turn["pelvis"]
    rotations[_J["chest"]] = turn["chest"]
    rotations[_J["spine"]] = _half_way(turn["pelvis"], turn["chest"])
    rotations[_J["head"]] = turn["head"]
    rotations[_J["neck"]] = _half_way(turn["chest"], turn["head"])
    rotations[_J["left_clavicle"]] = turn["chest"]
    rotations[_J["right_clavicle"]] = turn["chest"]
    parents = {
        "left_shoulder": "left_clavicle",
        "right_shoulder": "right_clavicle",
        "left_elbow": "left_shoulder",
        "right_elbow": "right_shoulder",
        "left_wrist": "left_elbow",
        "right_wrist": "right_elbow",
        "left_hip": "pelvis",
        "right_hip": "pelvis",
        "left_knee": "left_hip",
        "right_knee": "right_hip",
        "left_ankle": "left_knee",
        "right_ankle": "right_knee",
    }
    for joint, start, end in _LIMBS:
        parent = rotations[_J[parents[joint]]]
        rest_direction = parent @ _unit(_end_point(rest, end) - _end_point(rest, start))
        seen_direction = _unit(_end_point(observed, end) - _end_point(observed, start))
        rotations[_J[joint]] = _shortest_arc(rest_direction, seen_direction) @ parent
    return rotations


def forward_kinematics(body: BodyModel, rotations: np.ndarray) -> np.ndarray:
    """Transforms (J, 4, 4) from rest canonical to the posed body frame.

    The pelvis joint stays at the origin; every other joint hangs from its
    parent by the rest offset turned by the parent's rotation, so bone
    lengths are the mannequin's own.
    """
    rest = body.joints.astype(np.float64)
    transforms = np.zeros((len(rest), 4, 4))
    positions = np.zeros_like(rest)
    for joint, parent in enumerate(body.parents):
        if parent >= 0:
            positions[joint] = positions[parent] + rotations[parent] @ (
                rest[joint] - rest[parent]
            )
        transforms[joint, :3, :3] = rotations[joint]
        transforms[joint, :3, 3] = positions[joint] - rotations[joint] @ rest[joint]
        transforms[joint, 3, 3] = 1.0
    return transforms


def posed_landmarks(rest: np.ndarray, transforms: np.ndarray) -> np.ndarray:
    """(33, 3) rest landmarks moved by the transform of the bone carrying each."""
    carried = transforms[_LANDMARK_BONE]  # (33, 4, 4)
    return np.einsum("lij,lj->li", carried[:, :3, :3], rest) + carried[:, :3, 3]


def _place_camera(
    points: np.ndarray, landmarks_px: np.ndarray, intrinsics: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Camera from posed body frame (4, 4), and which landmarks placed it."""
    import cv2

    candidates = np.array(PLACEMENT_LANDMARKS)
    visible = candidates[landmarks_px[candidates, 2] > VISIBLE]
    if len(visible) < MIN_POINTS:
        raise PoseNotUsable(
            f"only {len(visible)} body landmarks are clearly visible (at least "
            f"{MIN_POINTS} are needed); use a photo that shows more of the body"
        )
    object_points = points[visible].astype(np.float64)
    image_points = landmarks_px[visible, :2].astype(np.float64)
    extent = np.ptp(image_points, axis=0).max()
    threshold = max(6.0, 0.04 * float(extent))
    found, rvec, tvec, inliers = cv2.solvePnPRansac(
        object_points,
        image_points,
        intrinsics,
        None,
        flags=cv2.SOLVEPNP_EPNP,
        reprojectionError=threshold,
        iterationsCount=100,
    )
    if not found or inliers is None or len(inliers) < MIN_POINTS // 2 + 1:
        logger.info("RANSAC placement failed; using every visible landmark")
        inliers = np.arange(len(visible))[:, None]
        found, rvec, tvec = cv2.solvePnP(
            object_points, image_points, intrinsics, None, flags=cv2.SOLVEPNP_EPNP
        )
    inliers = inliers.ravel()
    rvec, tvec = cv2.solvePnPRefineLM(
        object_points[inliers], image_points[inliers], intrinsics, None, rvec, tvec
    )
    camera_from_body = np.eye(4)
    camera_from_body[:3, :3] = cv2.Rodrigues(rvec)[0]
    camera_from_body[:3, 3] = tvec.ravel()
    if camera_from_body[2, 3] <= 0.0:
        raise PoseNotUsable(
            "the body could not be placed in front of the camera; use a photo "
            "that shows the person's whole upper body"
        )
    used = np.zeros(NUM_LANDMARKS, dtype=bool)
    used[visible[inliers]] = True
    return camera_from_body, used


def project(points: np.ndarray, intrinsics: np.ndarray) -> np.ndarray:
    """(N, 2) pixels of camera-frame points (N, 3)."""
    homogeneous = points @ np.asarray(intrinsics, dtype=np.float64).T
    return homogeneous[:, :2] / homogeneous[:, 2:3]


def pose_body(
    body: BodyModel, pose_result: PoseResult, intrinsics: np.ndarray
) -> PosedBody:
    """Pose ``body`` as the person in a photo and place it in the camera frame.

    Args:
        body: the person's mannequin (built at their height).
        pose_result: the photo's landmarks and world landmarks.
        intrinsics: (3, 3) camera matrix K of the photo, pixels.

    Returns:
        The posed body in the camera frame, with its joint transforms.

    Raises:
        PoseNotUsable: too few landmarks are visible to place the camera.
    """
    start = time.perf_counter()
    intrinsics = np.asarray(intrinsics, dtype=np.float64)
    rest = rest_landmarks(body)
    observed = np.asarray(pose_result.world_landmarks, np.float64) @ (
        CANONICAL_FROM_MEDIAPIPE.T
    )
    rotations = bone_rotations(rest, observed)
    body_transforms = forward_kinematics(body, rotations)  # (J, 4, 4)
    landmarks = posed_landmarks(rest, body_transforms)  # (33, 3)
    landmarks_px = np.asarray(pose_result.landmarks_px, dtype=np.float64)
    camera_from_body, used = _place_camera(landmarks, landmarks_px, intrinsics)

    joint_transforms = camera_from_body @ body_transforms  # (J, 4, 4)
    landmarks_camera = landmarks @ camera_from_body[:3, :3].T + camera_from_body[:3, 3]
    errors = np.linalg.norm(
        project(landmarks_camera[used], intrinsics) - landmarks_px[used, :2], axis=1
    )
    vertices = skin(body.vertices, body.skin_weights, joint_transforms)
    joints = joint_transforms[:, :3, :3] @ body.joints.astype(np.float64)[:, :, None]
    joints = joints[:, :, 0] + joint_transforms[:, :3, 3]
    logger.debug(
        "posed a body in %.1f ms, reprojection error %.1f px over %d landmarks",
        (time.perf_counter() - start) * 1000.0,
        float(np.median(errors)),
        int(used.sum()),
    )
    posed = PosedBody(
        vertices=vertices,
        joint_transforms=joint_transforms,
        camera_from_body=camera_from_body,
        reprojection_error_px=float(np.median(errors)),
        joints=joints,
        landmarks=landmarks_camera,
        used=used,
        body=body,
    )
    register_vertices(posed)
    return posed
