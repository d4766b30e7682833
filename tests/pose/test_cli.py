"""``tryon pose`` end to end: files written, summary, exit statuses."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from tryon.cli import main

NO_PERSON = (
    "tryon: error: nobody was found in the photo; use a photo where one person "
    "is clearly visible"
)


def _stderr_lines(captured) -> list[str]:
    return [line for line in captured.err.splitlines() if line.strip()]


def test_pose_writes_json_and_picture(skier_path, tmp_path, tryon_home, capfd):
    out, document = tmp_path / "skier.png", tmp_path / "skier.json"
    status = main(
        [
            "pose",
            str(skier_path),
            "--height-cm",
            "175",
            "--out",
            str(out),
            "--json",
            str(document),
        ]
    )
    captured = capfd.readouterr()
    assert status == 0
    assert "000000000785.jpg: one person found (640x425 px)" in captured.out
    assert "hip girth" in captured.out

    pose_json = json.loads(document.read_text())
    assert pose_json["image"] == {"width": 640, "height": 425}
    assert np.asarray(pose_json["landmarks_px"]).shape == (33, 3)
    assert np.asarray(pose_json["world_landmarks_m"]).shape == (33, 3)
    assert pose_json["landmark_names"][0] == "nose"
    assert pose_json["landmark_names"][32] == "right_foot_index"
    assert pose_json["measurements_cm"]["height"] == 175.0
    assert set(pose_json["measurement_methods"]) == set(pose_json["measurements_cm"])
    with Image.open(out) as picture:
        assert picture.size == (640, 425)


def test_text_file_exits_2_with_one_line(tmp_path, tryon_home, capfd):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    status = main(["pose", str(notes)])
    assert status == 2
    assert _stderr_lines(capfd.readouterr()) == [
        "tryon: error: notes.txt is not an image we can read (JPEG, PNG, WebP or "
        "HEIC); choose a photo file"
    ]


def test_nobody_exits_2_with_one_line(tmp_path, tryon_home, capfd):
    from skimage import data

    coffee = tmp_path / "coffee.png"
    Image.fromarray(data.coffee()).save(coffee)
    status = main(["pose", str(coffee)])
    assert status == 2
    assert _stderr_lines(capfd.readouterr()) == [NO_PERSON]


@pytest.mark.parametrize("height", ["1.75", "900"])  # metres; a typo
def test_height_out_of_range(skier_path, tryon_home, capfd, height):
    status = main(["pose", str(skier_path), "--height-cm", height])
    assert status == 2
    assert _stderr_lines(capfd.readouterr()) == [
        f"tryon: error: --height-cm {height} is not a human height; give it in "
        "centimetres, between 50 and 260"
    ]


def test_missing_output_folder(skier_path, tmp_path, tryon_home, capfd):
    out = tmp_path / "nowhere" / "skier.png"
    status = main(["pose", str(skier_path), "--out", str(out)])
    assert status == 2
    assert _stderr_lines(capfd.readouterr()) == [
        f"tryon: error: folder {out.parent} does not exist; create it or choose "
        "another path"
    ]


def test_summary_says_when_the_height_was_assumed(skier_path, tryon_home, capfd):
    assert main(["pose", str(skier_path)]) == 0
    output = capfd.readouterr().out
    assert "  height           170.0 cm" in output
    assert "(height not given: a typical adult's assumed; pass --height-cm)" in output
