"""Measurements against ground truth: the project's mannequin, rendered.

Bodies built by ``tryon.body`` from known measurements are rendered from
the front (A-pose, a plain background, the default phone intrinsics) and
measured by ``pose``; each measurement must come back close to the
body's own. The errors are written to the output folder.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import pose

os.environ.setdefault("PYOPENGL_PLATFORM", "egl")

WIDTH, HEIGHT = 720, 960
DISTANCE_M = 3.2  # camera to the body's origin
SKIN = (0.85, 0.65, 0.55)
BACKGROUND = np.array([0.35, 0.45, 0.40])

# Allowed relative error per measurement. Girths are looser: the
# mannequin's sections are rounder than the ellipse pose assumes.
TOLERANCE = {
    "shoulder_width": 0.08,
    "chest_width": 0.08,
    "waist_width": 0.08,
    "hip_width": 0.08,
    "chest_girth": 0.10,
    "waist_girth": 0.10,
    "hip_girth": 0.10,
    "arm_length": 0.08,
    "torso_length": 0.08,
    "inseam": 0.08,
}

BODIES = {
    "canonical": {},  # 170 cm, size M
    "tall_large": {
        "height": 185,
        "chest_girth": 110,
        "waist_girth": 100,
        "hip_girth": 108,
    },
    "short_pear": {
        "height": 160,
        "chest_girth": 88,
        "waist_girth": 70,
        "hip_girth": 98,
    },
}


@pytest.fixture(scope="module")
def renderer():
    render = pytest.importorskip("render")
    with render.Renderer(WIDTH, HEIGHT, ambient_occlusion=False) as warm:
        yield warm


def photograph(body, renderer) -> np.ndarray:
    """(H, W, 3) uint8 picture of ``body`` facing the camera."""
    import render

    # Canonical frame (Y up, +Z front) to the camera's (y down, z forward),
    # the body facing the camera: a half turn about X, then away from it.
    vertices = np.asarray(body.vertices, dtype=np.float64)
    camera = np.stack(
        [vertices[:, 0], -vertices[:, 1], DISTANCE_M - vertices[:, 2]], axis=1
    )
    K = render.intrinsics_for_image(WIDTH, HEIGHT).K
    layers = renderer.render(
        render.GarmentMesh(camera, np.asarray(body.faces)),
        render.Material(base_colour=SKIN),
        K,
    )
    colour = layers.rgba[..., :3] + (1.0 - layers.rgba[..., 3:4]) * BACKGROUND
    return (np.clip(colour, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


@pytest.fixture(scope="module")
def errors_table(output_dir):
    rows: dict[str, dict[str, float]] = {}
    yield rows
    (output_dir / "pose_mannequin_errors.json").write_text(json.dumps(rows, indent=2))


@pytest.mark.parametrize("name", sorted(BODIES))
def test_measurements_of_a_rendered_mannequin(
    name, renderer, estimator, errors_table, output_dir
):
    from PIL import Image

    from tryon.body import build_body, canonical_body

    body = build_body(BODIES[name]) if BODIES[name] else canonical_body()
    truth = body.measurements_cm
    picture = photograph(body, renderer)
    result = estimator.estimate(picture, height_cm=truth["height"])
    Image.fromarray(pose.draw_landmarks(picture, result)).save(
        output_dir / f"pose_mannequin_{name}.png"
    )

    measured = result.measurements.values_cm
    relative = {k: measured[k] / truth[k] - 1.0 for k in TOLERANCE}
    errors_table[name] = {k: round(v, 4) for k, v in relative.items()}
    print(name, " ".join(f"{k} {v:+.1%}" for k, v in relative.items()))
    for key, tolerance in TOLERANCE.items():
        assert abs(relative[key]) <= tolerance, (key, measured[key], truth[key])
    # A frontal A-pose shows the torso's sides and the gap between the legs.
    methods = result.measurements.methods
    assert methods["hip_width"].startswith("person mask")
    assert methods["inseam"].startswith("person mask")
