"""The photo try-on end to end, judged on real photos from the mask and pose.

Each case runs ``tryon fit`` on a full-body photo with a default garment of
the bundled catalog and checks the garment's visible coverage
(``--mask``) against the person's landmarks in the report:

- a top reaches both shoulder keypoints (within 5% of the image height),
  stays within the person's silhouette apart from loose parts, and leaves
  forearms that are in front of the torso visible;
- a bottom covers both hips and reaches toward the knees.

The pictures of every case are written to the test output folder for a
person to look at.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from pose import Landmark
from tests.conftest import require_testdata
from tryon.cli import main

FULL_BODY_PHOTOS = [
    # the skier: one person, every keypoint annotated
    "photos/coco/000000000785.jpg",
    # several people standing; the pose model picks one of them
    "photos/coco/000000196141.jpg",
    "photos/coco/000000197388.jpg",
]

# Distance allowed between a keypoint and the garment, as a share of the
# image height.
NEAR = 0.05
# Share of garment pixels that must lie on the (slightly grown) person.
INSIDE_PERSON = 0.85


@pytest.fixture(scope="module")
def catalog_home(tmp_path_factory):
    """One data directory for the module, with the bundled catalog."""
    return tmp_path_factory.mktemp("fit-home")


@pytest.fixture(scope="module")
def default_ids(catalog_home):
    """The id of a default top and a default bottom."""
    import os

    os.environ["TRYON_HOME"] = str(catalog_home)
    from tryon.catalog import Catalog
    from tryon.settings import load_settings

    garments = Catalog(load_settings()).list()
    by_category = {}
    for garment in garments:
        by_category.setdefault(garment.category, garment.id)
    return by_category


def _run_fit(photo, garment_id, out_dir, name, home, monkeypatch):
    monkeypatch.setenv("TRYON_HOME", str(home))
    out = out_dir / f"{name}.png"
    mask = out_dir / f"{name}-mask.png"
    report = out_dir / f"{name}.json"
    status = main(
        [
            "fit",
            str(photo),
            "--garment",
            garment_id,
            "--out",
            str(out),
            "--mask",
            str(mask),
            "--report",
            str(report),
        ]
    )
    assert status == 0
    picture = np.asarray(Image.open(out))
    coverage = np.asarray(Image.open(mask))
    return picture, coverage, json.loads(report.read_text())


def _distance_to_mask(mask: np.ndarray, point) -> float:
    """Pixels from ``point`` (x, y) to the nearest mask pixel."""
    distance = ndimage.distance_transform_edt(mask == 0)
    x = int(np.clip(round(point[0]), 0, mask.shape[1] - 1))
    y = int(np.clip(round(point[1]), 0, mask.shape[0] - 1))
    return float(distance[y, x])


def _person_mask(photo) -> np.ndarray:
    from pose import PoseEstimator, load_image

    image = load_image(photo)
    result = PoseEstimator().estimate(image.rgb)
    return result.mask > 0.5


@pytest.mark.parametrize("relative", FULL_BODY_PHOTOS)
def test_top_reaches_shoulders_and_stays_on_person(
    relative, default_ids, catalog_home, output_dir, monkeypatch
):
    photo = require_testdata(relative)
    name = "fit-top-" + photo.stem
    picture, coverage, report = _run_fit(
        photo, default_ids["top"], output_dir, name, catalog_home, monkeypatch
    )
    height, width = coverage.shape
    assert picture.shape[:2] == (height, width)
    assert set(np.unique(coverage)) <= {0, 255}
    landmarks = np.asarray(report["pose"]["landmarks_px"])

    # Both shoulders are reached.
    for part in (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER):
        gap = _distance_to_mask(coverage, landmarks[part, :2])
        assert gap <= NEAR * height, f"{part.name} is {gap:.0f} px from the top"

    # The face shows: a top never covers the nose.
    nose = landmarks[Landmark.NOSE]
    if nose[2] > 0.8:
        x, y = np.clip(np.round(nose[:2]).astype(int), 0, [width - 1, height - 1])
        assert coverage[y, x] == 0, "the top covers the face"

    # The garment lies on the person (grown a little for loose parts).
    person = ndimage.binary_dilation(_person_mask(photo), iterations=height // 60)
    garment = coverage > 0
    inside = (garment & person).sum() / max(garment.sum(), 1)
    assert inside >= INSIDE_PERSON, f"only {inside:.0%} of the garment on the person"

    # A forearm in front of the torso (closer to the camera than its
    # shoulder) stays visible where it crosses the torso.
    _assert_forearms_in_front_visible(coverage, report)


def _assert_forearms_in_front_visible(coverage, report) -> None:
    landmarks = np.asarray(report["pose"]["landmarks_px"])
    world = np.asarray(report["pose"]["world_landmarks_m"])
    torso = [
        Landmark.LEFT_SHOULDER,
        Landmark.RIGHT_SHOULDER,
        Landmark.RIGHT_HIP,
        Landmark.LEFT_HIP,
    ]
    from matplotlib.path import Path as Polygon

    outline = Polygon(landmarks[torso, :2])
    arms = [
        (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST, Landmark.LEFT_SHOULDER),
        (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST, Landmark.RIGHT_SHOULDER),
    ]
    for elbow, wrist, shoulder in arms:
        in_front = world[wrist, 2] < world[shoulder, 2] - 0.15
        visible = min(landmarks[elbow, 2], landmarks[wrist, 2]) > 0.8
        if not (in_front and visible):
            continue
        samples = np.linspace(landmarks[elbow, :2], landmarks[wrist, :2], 20)
        crossing = samples[outline.contains_points(samples)]
        if len(crossing) == 0:
            continue
        rows = np.clip(crossing[:, 1].round().astype(int), 0, coverage.shape[0] - 1)
        cols = np.clip(crossing[:, 0].round().astype(int), 0, coverage.shape[1] - 1)
        covered = (coverage[rows, cols] > 0).mean()
        assert covered <= 0.5, f"{wrist.name}'s forearm is hidden by the garment"


@pytest.mark.parametrize("relative", FULL_BODY_PHOTOS)
def test_bottom_covers_hips_and_reaches_toward_knees(
    relative, default_ids, catalog_home, output_dir, monkeypatch
):
    photo = require_testdata(relative)
    name = "fit-bottom-" + photo.stem
    _, coverage, report = _run_fit(
        photo, default_ids["bottom"], output_dir, name, catalog_home, monkeypatch
    )
    height = coverage.shape[0]
    landmarks = np.asarray(report["pose"]["landmarks_px"])
    for part in (Landmark.LEFT_HIP, Landmark.RIGHT_HIP):
        gap = _distance_to_mask(coverage, landmarks[part, :2])
        assert gap <= NEAR * height, f"{part.name} is {gap:.0f} px from the bottom"

    # The garment reaches at least halfway from the hips to the knees.
    hips_y = landmarks[[Landmark.LEFT_HIP, Landmark.RIGHT_HIP], 1].mean()
    knees_y = landmarks[[Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE], 1].mean()
    rows = np.nonzero(coverage.any(axis=1))[0]
    assert rows.max() >= hips_y + 0.5 * (knees_y - hips_y)


def test_report_has_the_contract_fields(
    default_ids, catalog_home, output_dir, monkeypatch
):
    photo = require_testdata("photos/coco/000000000785.jpg")
    _, _, report = _run_fit(
        photo, default_ids["top"], output_dir, "fit-report", catalog_home, monkeypatch
    )
    for key in ("image", "pose", "body", "garment", "fit", "quality", "timings_ms"):
        assert key in report
    assert report["pose"]["detected"] is True
    assert len(report["pose"]["landmarks_px"]) == 33
    assert report["image"]["intrinsics_source"] in {"exif", "default"}
    vocabulary = {"too tight", "snug", "good", "relaxed", "too loose"}
    for region in report["fit"]["regions"].values():
        assert region["label"] in vocabulary
    assert 0.0 <= report["fit"]["score"] <= 1.0
    assert report["quality"]["penetration_ratio"] < 0.05
    for stage in ("pose", "body", "drape", "render", "composite", "total"):
        assert report["timings_ms"][stage] >= 0.0


def test_nobody_in_the_photo_is_a_clear_error(
    default_ids, catalog_home, tmp_path, capsys, monkeypatch
):
    from skimage import data

    photo = tmp_path / "coffee.png"
    Image.fromarray(data.coffee()).save(photo)
    monkeypatch.setenv("TRYON_HOME", str(catalog_home))
    status = main(
        [
            "fit",
            str(photo),
            "--garment",
            default_ids["top"],
            "--out",
            str(tmp_path / "o.png"),
        ]
    )
    assert status == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nobody" in err[0]


def test_unknown_garment_is_a_clear_error(catalog_home, tmp_path, capsys, monkeypatch):
    photo = require_testdata("photos/coco/000000000785.jpg")
    shutil.copy(photo, tmp_path / "p.jpg")
    monkeypatch.setenv("TRYON_HOME", str(catalog_home))
    status = main(
        [
            "fit",
            str(tmp_path / "p.jpg"),
            "--garment",
            "no-such",
            "--out",
            str(tmp_path / "o.png"),
        ]
    )
    assert status == 2
    assert "no-such" in capsys.readouterr().err
