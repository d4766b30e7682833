"""Photo mode on real photos: accuracy, orientation, formats, sizes, errors."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

import pose
from pose import Landmark
from tests.conftest import require_testdata

# COCO's 17 keypoints in their order, as BlazePose landmarks.
COCO_TO_BLAZEPOSE = (
    Landmark.NOSE,
    Landmark.LEFT_EYE,
    Landmark.RIGHT_EYE,
    Landmark.LEFT_EAR,
    Landmark.RIGHT_EAR,
    Landmark.LEFT_SHOULDER,
    Landmark.RIGHT_SHOULDER,
    Landmark.LEFT_ELBOW,
    Landmark.RIGHT_ELBOW,
    Landmark.LEFT_WRIST,
    Landmark.RIGHT_WRIST,
    Landmark.LEFT_HIP,
    Landmark.RIGHT_HIP,
    Landmark.LEFT_KNEE,
    Landmark.RIGHT_KNEE,
    Landmark.LEFT_ANKLE,
    Landmark.RIGHT_ANKLE,
)
PCK_THRESHOLD = 0.2  # share of the torso size
SKIER_MIN_PCK = 0.9
# The same photo re-encoded, rotated or resized: body joints stay put. The
# model itself moves the skier's wrists and elbows by 7 to 9 px when the
# photo is re-encoded as JPEG at quality 90 or shifted by one pixel, so the
# largest shift allowed is about that (under 0.1 of the torso, 110 px);
# the median must stay within a couple of pixels.
SAME_PLACE_MAX_PX = 10.0
SAME_PLACE_MEDIAN_PX = 2.0
NO_PERSON = (
    "nobody was found in the photo; use a photo where one person is clearly visible"
)
EXIF_ORIENTATION = 0x0112


def torso_size(keypoints: np.ndarray, bbox: list[float]) -> float:
    """Shoulder-midpoint to hip-midpoint distance of a COCO annotation.

    When a shoulder or hip is unlabelled, 0.3 of the box's longer side (a
    typical torso share of a standing person's box) is used instead.
    """
    torso = keypoints[[5, 6, 11, 12]]
    if (torso[:, 2] > 0).all():
        shoulders = torso[:2, :2].mean(axis=0)
        hips = torso[2:, :2].mean(axis=0)
        return float(np.linalg.norm(shoulders - hips))
    return 0.3 * max(bbox[2], bbox[3])


def pck(landmarks_px: np.ndarray, annotation: dict) -> tuple[float, int]:
    """PCK@0.2 of one annotation and the number of labelled keypoints."""
    keypoints = np.asarray(annotation["keypoints"], dtype=float).reshape(17, 3)
    labelled = keypoints[:, 2] > 0
    if not labelled.any():
        return 0.0, 0
    predicted = landmarks_px[list(COCO_TO_BLAZEPOSE), :2]
    errors = np.linalg.norm(predicted - keypoints[:, :2], axis=1)
    threshold = PCK_THRESHOLD * torso_size(keypoints, annotation["bbox"])
    return float((errors[labelled] <= threshold).mean()), int(labelled.sum())


def best_match(landmarks_px: np.ndarray, annotations: list[dict]) -> dict:
    """The annotation the one found person matches best (PCK, then points)."""
    scored = [(pck(landmarks_px, a), a["id"]) for a in annotations]
    (score, count), annotation_id = max(scored, key=lambda s: (s[0], s[0][1]))
    return {"pck": score, "keypoints": count, "annotation_id": annotation_id}


@pytest.fixture(scope="module")
def coco() -> dict:
    return json.loads(
        require_testdata("photos", "coco", "test_coco.json").read_text("utf-8")
    )


def test_pck_on_coco(estimator, coco, output_dir):
    folder = require_testdata("photos", "coco")
    rows = []
    for image in coco["images"]:
        annotations = [a for a in coco["annotations"] if a["image_id"] == image["id"]]
        rgb = pose.load_image(folder / image["file_name"]).rgb
        try:
            found = estimator.estimate(rgb).landmarks_px
        except pose.NoPersonFound:
            rows.append({"image": image["file_name"], "pck": 0.0, "found": False})
            continue
        rows.append(
            {"image": image["file_name"], "found": True}
            | best_match(found, annotations)
        )
    table = ["| image | person found | PCK@0.2 | keypoints |", "|---|---|---|---|"]
    for row in rows:
        table.append(
            f"| {row['image']} | {row['found']} | {row['pck']:.3f} | "
            f"{row.get('keypoints', '')} |"
        )
    print("\n".join(table))
    (output_dir / "pose_pck_coco.md").write_text("\n".join(table) + "\n")
    (output_dir / "pose_pck_coco.json").write_text(json.dumps(rows, indent=2))
    skier = next(r for r in rows if r["image"] == "000000000785.jpg")
    assert skier["pck"] >= SKIER_MIN_PCK


def assert_same_place(a: pose.PoseResult, b: pose.PoseResult) -> None:
    """Two results' visible body joints are within the tolerances above.

    The joints are those COCO annotates (face, shoulders to ankles); the
    finger and toe points move more between resolutions and are left out.
    """
    joints = list(COCO_TO_BLAZEPOSE)
    first, second = a.landmarks_px[joints], b.landmarks_px[joints]
    visible = (first[:, 2] >= 0.5) & (second[:, 2] >= 0.5)
    shift = np.linalg.norm(first[visible, :2] - second[visible, :2], axis=1)
    print(f"joint shift: median {np.median(shift):.1f}, max {shift.max():.1f} px")
    assert visible.sum() >= 12
    assert np.median(shift) <= SAME_PLACE_MEDIAN_PX
    assert shift.max() <= SAME_PLACE_MAX_PX


@pytest.mark.parametrize(
    ("orientation", "stored_from_upright"),
    [
        (6, Image.Transpose.ROTATE_90),  # phone held upright, camera sideways
        (3, Image.Transpose.ROTATE_180),  # phone upside down
    ],
    ids=["rotated-90", "rotated-180"],
)
def test_exif_rotated_photo_gives_the_same_landmarks(
    estimator, skier, skier_result, orientation, stored_from_upright
):
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    buffer = io.BytesIO()
    stored = Image.fromarray(skier).transpose(stored_from_upright)
    stored.save(buffer, format="PNG", exif=exif.tobytes())
    loaded = pose.load_image(buffer.getvalue())
    assert loaded.size == skier_result.image_size
    result = estimator.estimate(loaded, height_cm=175)
    assert_same_place(result, skier_result)


def test_heic_photo_gives_the_same_landmarks(estimator, skier, skier_result):
    import pillow_heif

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.fromarray(skier).save(buffer, format="HEIF", quality=95)
    loaded = pose.load_image(buffer.getvalue())
    assert loaded.source_format == "HEIF"
    result = estimator.estimate(loaded, height_cm=175)
    assert_same_place(result, skier_result)


def test_large_photo_reports_landmarks_in_its_own_pixels(
    estimator, skier, skier_result
):
    factor = 4000 / skier.shape[1]
    size = (4000, round(skier.shape[0] * factor))
    large = np.asarray(Image.fromarray(skier).resize(size, Image.Resampling.BICUBIC))
    result = estimator.estimate(large, height_cm=175)
    assert result.image_size == size
    assert result.mask is not None and result.mask.shape == (size[1], size[0])
    # Back in the original's pixels, the landmarks are where they were.
    scaled = result.landmarks_px.copy()
    scaled[:, :2] /= factor
    shifted = pose.PoseResult(
        scaled,
        result.world_landmarks,
        None,
        skier_result.image_size,
        result.measurements,
    )
    assert_same_place(shifted, skier_result)


def test_small_photo_is_enlarged_for_the_model(estimator, skier):
    small = np.asarray(Image.fromarray(skier).resize((240, 160)))
    result = estimator.estimate(small)
    assert result.image_size == (240, 160)
    assert result.mask is not None and result.mask.shape == (160, 240)


def test_greyscale_photo(estimator):
    path = require_testdata("photos", "people", "camera.png")
    loaded = pose.load_image(path)
    assert loaded.rgb.shape == (512, 512, 3)
    result = estimator.estimate(loaded)
    assert (result.landmarks_px[:, 2] >= 0.5).sum() >= 10


def test_nobody_in_the_picture(estimator):
    from skimage import data

    with pytest.raises(pose.NoPersonFound) as caught:
        estimator.estimate(data.coffee())
    assert str(caught.value) == NO_PERSON
    assert caught.value.user_error is True


def test_result_shapes(skier, skier_result):
    height, width = skier.shape[:2]
    assert skier_result.landmarks_px.shape == (33, 3)
    assert skier_result.landmarks_px.dtype == np.float32
    assert skier_result.world_landmarks.shape == (33, 3)
    assert skier_result.mask.shape == (height, width)
    assert skier_result.image_size == (width, height)


# Plausible adult ranges in centimetres (wide: one photo, clothes, skiing).
PLAUSIBLE_CM = {
    "shoulder_width": (30.0, 55.0),
    "hip_girth": (75.0, 135.0),
    "chest_girth": (70.0, 140.0),
    "waist_girth": (55.0, 130.0),
    "arm_length": (40.0, 75.0),
    "torso_length": (35.0, 70.0),
    "inseam": (60.0, 95.0),
}


def test_measurements_of_the_skier(skier_result):
    values = skier_result.measurements.values_cm
    methods = skier_result.measurements.methods
    assert set(values) == set(pose.MEASUREMENT_KEYS) == set(methods)
    assert values["height"] == 175.0
    assert methods["height"] == "given by the user"
    for key, (low, high) in PLAUSIBLE_CM.items():
        assert low <= values[key] <= high, key
    # The skier is turned about 45 degrees: the mask's widths are not used.
    assert methods["waist_width"] == "typical share of height (0.175; person turned)"
    assert methods["chest_width"] == "shoulder joints x 0.97 (person turned)"


def test_default_height_is_said(estimator, skier):
    result = estimator.estimate(skier)
    assert result.measurements["height"] == pose.DEFAULT_HEIGHT_CM
    assert result.measurements.methods["height"] == ("not given; default adult 170 cm")


def test_upper_body_photo_misses_the_hips(estimator):
    from skimage import data

    # scikit-image's astronaut: a portrait cut at the chest.
    result = estimator.estimate(data.astronaut())
    pose.require_visible(result, [Landmark.LEFT_SHOULDER], "trying on a top")
    with pytest.raises(pose.BodyPartsOutOfFrame) as caught:
        pose.require_visible(
            result, [Landmark.LEFT_HIP, Landmark.RIGHT_HIP], "trying on trousers"
        )
    assert str(caught.value) == (
        "your hips are not in the picture; step back so that your hips are in "
        "the picture"
    )
    assert caught.value.parts == ("hips",)
    assert caught.value.purpose == "trying on trousers"
    assert caught.value.user_error is True


def test_several_parts_are_named_head_to_toe(skier_result):
    cropped = pose.PoseResult(
        skier_result.landmarks_px,
        skier_result.world_landmarks,
        None,
        (skier_result.image_size[0], 100),  # everything below y=100 is out
        skier_result.measurements,
    )
    with pytest.raises(pose.BodyPartsOutOfFrame) as caught:
        pose.require_visible(
            cropped, [Landmark.LEFT_ANKLE, Landmark.LEFT_HIP], "a dress"
        )
    assert str(caught.value) == (
        "your hips and ankles are not in the picture; step back so that your "
        "hips and ankles are in the picture"
    )


def test_draw_landmarks(skier, skier_result, output_dir):
    picture = pose.draw_landmarks(skier, skier_result)
    assert picture.shape == skier.shape and picture.dtype == np.uint8
    assert (picture != skier).any()
    nose = skier_result.landmarks_px[Landmark.NOSE, :2].round().astype(int)
    assert tuple(picture[nose[1], nose[0]]) == (255, 60, 60)
    Image.fromarray(picture).save(output_dir / "pose_skier_annotated.png")


def test_upper_body_measurements_fall_back_and_say_so(estimator):
    from skimage import data

    result = estimator.estimate(data.astronaut(), height_cm=165)
    values, methods = result.measurements.values_cm, result.measurements.methods
    assert all(np.isfinite(v) and v > 0 for v in values.values())
    assert "world landmarks (not in the picture)" in methods["inseam"]
    assert methods["hip_width"].startswith("typical share of height")


def test_estimator_is_thread_safe(estimator, skier, skier_result):
    from concurrent.futures import ThreadPoolExecutor

    # Four calls from two threads on one warm model give the same answer.
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: estimator.estimate(skier, 175), range(4)))
    for result in results:
        np.testing.assert_array_equal(result.landmarks_px, skier_result.landmarks_px)


# A height in metres, one with a slipped digit, and not a number.
@pytest.mark.parametrize("height", [1.75, 600.0, float("nan")])
def test_height_must_be_human(estimator, skier, height):
    with pytest.raises(pose.HeightOutOfRange) as caught:
        estimator.estimate(skier, height_cm=height)
    assert str(caught.value) == (
        f"a height of {height:g} cm is not a human height; give it in "
        "centimetres, between 50 and 260"
    )
    assert caught.value.user_error is True


def test_models_missing_from_the_wheel_are_refused():
    # Only BlazePose full is bundled with mediapipe 0.10.21.
    with pytest.raises(NotImplementedError) as caught:
        pose.PoseEstimator(model_complexity=2)
    assert str(caught.value) == (
        "model_complexity 2 needs pose_landmark_heavy.tflite, which the installed "
        "mediapipe does not ship and which is never downloaded; use "
        "model_complexity=1 (full)"
    )
