"""The example photos: the mannequin rendered, found by the pose estimator.

Ground truth is exact: the skeleton each picture was rendered from
(``pose_example``), projected with the picture's own intrinsics. The
pictures, annotated with the detected skeleton (lines) and the true
joints (white crosses), go to the output folder, with a JSON table of the
per-landmark errors in pixels.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image

import pose
from pose.landmarks import Landmark
from tryon.examples import (
    CAMERA_HEIGHT_M,
    EXAMPLE_SCENES,
    IMAGE_SIZE,
    Limb,
    pose_example,
    render_mannequin_photos,
)

# Detected shoulders and hips must lie this close to the true joints, as a
# share of the picture's height (48 px of 960).
TOLERANCE_SHARE = 0.05

# Landmarks whose error is reported (the asserted ones are the first four).
CHECKED = (
    Landmark.LEFT_SHOULDER,
    Landmark.RIGHT_SHOULDER,
    Landmark.LEFT_HIP,
    Landmark.RIGHT_HIP,
)
REPORTED = CHECKED + (
    Landmark.LEFT_ELBOW,
    Landmark.RIGHT_ELBOW,
    Landmark.LEFT_WRIST,
    Landmark.RIGHT_WRIST,
    Landmark.LEFT_KNEE,
    Landmark.RIGHT_KNEE,
    Landmark.LEFT_ANKLE,
    Landmark.RIGHT_ANKLE,
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder holding freshly rendered example photos."""
    path = tmp_path_factory.mktemp("examples")
    render_mannequin_photos(path)
    return path


@pytest.fixture(scope="module")
def estimator():
    with pose.PoseEstimator() as shared:
        yield shared


@pytest.fixture(scope="module")
def errors_table(output_dir):
    rows: dict[str, dict[str, float]] = {}
    yield rows
    text = json.dumps(rows, indent=2)
    (output_dir / "examples_landmark_errors_px.json").write_text(text)


def test_one_png_per_scene_at_the_picture_size(folder):
    paths = render_mannequin_photos(folder)

    assert len(paths) == len(EXAMPLE_SCENES) >= 3
    assert len(set(paths)) == len(paths)
    for path in paths:
        assert path.parent == folder and path.suffix == ".png"
        with Image.open(path) as picture:
            assert picture.format == "PNG"
            assert picture.size == IMAGE_SIZE
            assert picture.mode == "RGB"


def test_a_second_call_reuses_the_files(folder, monkeypatch):
    import render

    paths = render_mannequin_photos(folder)
    before = {path: path.stat().st_mtime_ns for path in paths}

    def no_renderer(*args, **kwargs):
        raise AssertionError("a renderer was made although the photos exist")

    monkeypatch.setattr(render, "Renderer", no_renderer)
    again = render_mannequin_photos(folder)

    assert again == paths
    assert {path: path.stat().st_mtime_ns for path in again} == before


def test_only_a_missing_photo_is_rendered_again(folder, tmp_path):
    for path in render_mannequin_photos(folder):
        shutil.copy2(path, tmp_path / path.name)
    paths = render_mannequin_photos(tmp_path)
    kept = {path: path.stat().st_mtime_ns for path in paths[1:]}
    paths[0].unlink()

    again = render_mannequin_photos(tmp_path)

    assert again == paths and paths[0].exists()
    assert {path: path.stat().st_mtime_ns for path in paths[1:]} == kept
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("scene", EXAMPLE_SCENES, ids=lambda scene: scene.name)
def test_the_whole_body_is_in_the_picture_standing_on_the_floor(scene):
    posed = pose_example(scene)
    projected = posed.vertices @ posed.intrinsics.T  # (V, 3)
    pixels = projected[:, :2] / projected[:, 2:3]  # (V, 2)
    width, height = IMAGE_SIZE

    assert np.all(posed.vertices[:, 2] > 1.0)
    assert pixels.min() > 0.03 * height
    assert pixels[:, 0].max() < width - 0.03 * height
    assert pixels[:, 1].max() < 0.97 * height
    # Camera y points down: the lowest vertex is the camera's height below it.
    assert float(posed.vertices[:, 1].max()) == pytest.approx(CAMERA_HEIGHT_M, abs=1e-5)


# Limbs checked against their own definition: the wrist (ankle) lies along
# ``direction`` at ``reach`` times the limb's length from its root.
LIMB_CASES = {
    "straight arm out": ("left_arm", Limb((1.0, -0.2, 0.0))),
    "bent arm, elbow out": ("left_arm", Limb((0.0, -1.0, 0.0), 0.6, (1, 0, 0))),
    "right arm across": ("right_arm", Limb((0.5, -1.0, 0.3), 0.8, (-1, 0, -1))),
    "knee bent forward": ("right_leg", Limb((0.0, -1.0, 0.2), 0.85, (0, 0, 1))),
    # Opposite to the rest (A-pose) direction: the half-turn case.
    "arm turned right round": ("left_arm", Limb((-1.0, 1.0, 0.0))),
}
LIMB_JOINTS = {
    "left_arm": ("left_shoulder", "left_elbow", "left_wrist"),
    "right_arm": ("right_shoulder", "right_elbow", "right_wrist"),
    "right_leg": ("right_hip", "right_knee", "right_ankle"),
}


@pytest.mark.parametrize("case", sorted(LIMB_CASES))
def test_limbs_reach_where_they_are_told(case):
    import dataclasses

    attribute, limb = LIMB_CASES[case]
    scene = dataclasses.replace(
        EXAMPLE_SCENES[0], turn_degrees=0.0, **{attribute: limb}
    )
    posed = pose_example(scene)
    names = posed.body.joint_names
    root, middle, end = (names.index(name) for name in LIMB_JOINTS[attribute])
    rest = posed.body.joints.astype(np.float64)
    length = np.linalg.norm(rest[middle] - rest[root]) + np.linalg.norm(
        rest[end] - rest[middle]
    )
    # Camera frame back to the body's axes (level camera, no turn).
    reached = (posed.joints[end] - posed.joints[root]) * np.array([1.0, -1.0, -1.0])
    direction = np.asarray(limb.direction, dtype=np.float64)
    expected = min(limb.reach, 0.9999) * length * direction / np.linalg.norm(direction)

    np.testing.assert_allclose(reached, expected, atol=1e-4)
    # Bones keep their lengths.
    for first, second in ((root, middle), (middle, end)):
        np.testing.assert_allclose(
            np.linalg.norm(posed.joints[second] - posed.joints[first]),
            np.linalg.norm(rest[second] - rest[first]),
            atol=1e-6,
        )


def _annotated(picture: np.ndarray, result, truth_px: np.ndarray) -> np.ndarray:
    """The picture with the detected skeleton and white crosses at the truth."""
    import cv2

    drawn = pose.draw_landmarks(picture, result)
    for x, y in truth_px[list(REPORTED)]:
        cv2.drawMarker(
            drawn, (round(x), round(y)), (255, 255, 255), cv2.MARKER_CROSS, 12, 2
        )
    return drawn


@pytest.mark.parametrize(
    "index", range(len(EXAMPLE_SCENES)), ids=lambda i: EXAMPLE_SCENES[i].name
)
def test_the_pose_estimator_finds_the_mannequin_where_it_is(
    index, folder, estimator, errors_table, output_dir
):
    scene = EXAMPLE_SCENES[index]
    path = render_mannequin_photos(folder)[index]
    picture = np.asarray(Image.open(path).convert("RGB"))
    truth_px = pose_example(scene).landmarks_px  # (33, 2)

    result = estimator.estimate(picture)  # raises NoPersonFound if missed

    errors = np.linalg.norm(result.landmarks_px[:, :2] - truth_px, axis=1)  # (33,)
    errors_table[scene.name] = {
        landmark.name.lower(): round(float(errors[landmark]), 1)
        for landmark in REPORTED
    }
    Image.fromarray(picture).save(output_dir / f"examples_{scene.name}.png")
    Image.fromarray(_annotated(picture, result, truth_px)).save(
        output_dir / f"examples_{scene.name}_detected.png"
    )
    limit = TOLERANCE_SHARE * IMAGE_SIZE[1]
    for landmark in CHECKED:
        assert errors[landmark] <= limit, (landmark.name, float(errors[landmark]))
    assert np.all(result.landmarks_px[list(CHECKED), 2] > 0.5)
