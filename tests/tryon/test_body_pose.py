"""Posing the mannequin from photos' landmarks and placing it in the camera."""

from __future__ import annotations

import numpy as np
import pytest

from pose import Landmark, PoseEstimator, load_image
from pose.result import Measurements, PoseResult
from render import intrinsics_for_image
from tests.conftest import require_testdata
from tryon.body import PoseNotUsable, build_body, canonical_body, pose_body
from tryon.body.posing import CANONICAL_FROM_MEDIAPIPE, project, rest_landmarks

# Median reprojection error of the body's joints, share of the person's
# height in pixels.
MAX_JOINT_ERROR_SHARE = 0.05
JOINTS = (
    Landmark.LEFT_SHOULDER,
    Landmark.RIGHT_SHOULDER,
    Landmark.LEFT_ELBOW,
    Landmark.RIGHT_ELBOW,
    Landmark.LEFT_HIP,
    Landmark.RIGHT_HIP,
    Landmark.LEFT_KNEE,
    Landmark.RIGHT_KNEE,
)
PHOTOS = [
    "000000000785.jpg",  # a skier, whole body, turning
    "000000196141.jpg",  # a batter mid-swing, side on, several people
]


@pytest.fixture(scope="module")
def photo_poses():
    """PoseResult and intrinsics K of each photo."""
    poses = {}
    with PoseEstimator() as estimator:
        for name in PHOTOS:
            image = load_image(require_testdata("photos", "coco", name))
            result = estimator.estimate(image.rgb)
            width, height = result.image_size
            poses[name] = (result, intrinsics_for_image(width, height).K)
    return poses


@pytest.mark.parametrize("name", PHOTOS)
def test_posed_joints_land_on_the_photo_landmarks(name, photo_poses):
    result, intrinsics = photo_poses[name]
    body = build_body(result.measurements.values_cm)
    posed = pose_body(body, result, intrinsics)
    pixels = project(posed.landmarks[list(JOINTS)], intrinsics)
    errors = np.linalg.norm(pixels - result.landmarks_px[list(JOINTS), :2], axis=1)
    visible = result.landmarks_px[:, 2] > 0.5
    person_height_px = np.ptp(result.landmarks_px[visible, 1])
    assert np.median(errors) < MAX_JOINT_ERROR_SHARE * person_height_px
    assert posed.reprojection_error_px < MAX_JOINT_ERROR_SHARE * person_height_px
    # in front of the camera, at a plausible distance, same mesh as the body
    assert 1.0 < posed.camera_from_body[2, 3] < 30.0
    assert (posed.vertices[:, 2] > 0.0).all()
    assert posed.vertices.shape == body.vertices.shape


def _rest_photo(body, camera_from_canonical, intrinsics, size):
    """A PoseResult of the rest mannequin seen by a camera."""
    rest = rest_landmarks(body)
    camera = rest @ camera_from_canonical[:3, :3].T + camera_from_canonical[:3, 3]
    pixels = project(camera, intrinsics)
    landmarks_px = np.column_stack([pixels, np.ones(len(pixels))]).astype(np.float32)
    world = (rest @ CANONICAL_FROM_MEDIAPIPE.T).astype(np.float32)
    return PoseResult(landmarks_px, world, None, size, Measurements({}, {}))


def test_rest_landmarks_give_the_rest_pose():
    body = canonical_body()
    # camera 3 m in front of the mannequin, looking at its front
    camera_from_canonical = np.eye(4)
    camera_from_canonical[:3, :3] = np.diag([1.0, -1.0, -1.0])
    camera_from_canonical[:3, 3] = (0.05, 0.1, 3.0)
    intrinsics = intrinsics_for_image(720, 960).K
    result = _rest_photo(body, camera_from_canonical, intrinsics, (720, 960))
    posed = pose_body(body, result, intrinsics)
    # every joint moves exactly as the whole body does
    relative = np.linalg.inv(posed.camera_from_body) @ posed.joint_transforms
    assert np.allclose(relative, np.eye(4), atol=1e-4)
    assert np.allclose(posed.camera_from_body, camera_from_canonical, atol=1e-3)
    assert posed.reprojection_error_px < 0.1


def test_too_few_visible_landmarks_say_what_to_do():
    body = canonical_body()
    camera_from_canonical = np.eye(4)
    camera_from_canonical[:3, :3] = np.diag([1.0, -1.0, -1.0])
    camera_from_canonical[:3, 3] = (0.0, 0.0, 3.0)
    intrinsics = intrinsics_for_image(720, 960).K
    result = _rest_photo(body, camera_from_canonical, intrinsics, (720, 960))
    result.landmarks_px[Landmark.LEFT_HIP :, 2] = 0.1  # legs out of the picture
    result.landmarks_px[: Landmark.LEFT_SHOULDER, 2] = 0.1  # and the head
    result.landmarks_px[Landmark.LEFT_WRIST : Landmark.LEFT_HIP, 2] = 0.1  # hands
    with pytest.raises(PoseNotUsable) as caught:
        pose_body(body, result, intrinsics)
    assert str(caught.value) == (
        "only 4 body landmarks are clearly visible (at least 6 are needed); use a "
        "photo that shows more of the body"
    )
    assert caught.value.user_error
