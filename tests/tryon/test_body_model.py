"""The mannequin: closed surface, fixed connectivity, requested measurements."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from tryon.body import (
    BadMeasurement,
    body_girths_cm,
    build_body,
    canonical_body,
    skin,
)

GIRTH_TOLERANCE = 0.03  # share of the requested girth
HEIGHT_TOLERANCE_M = 0.01

SHAPES = [
    # tall and broad
    {"height": 188.0, "chest_girth": 112.0, "waist_girth": 102.0, "hip_girth": 110.0},
    # short and slim, with a measured chest width
    {
        "height": 154.0,
        "chest_girth": 82.0,
        "waist_girth": 64.0,
        "hip_girth": 90.0,
        "chest_width": 27.0,
    },
    # everything a photo gives
    {
        "height": 176.0,
        "shoulder_width": 44.0,
        "chest_width": 31.0,
        "chest_depth": 24.0,
        "chest_girth": 94.0,
        "waist_width": 29.0,
        "waist_depth": 21.0,
        "waist_girth": 84.0,
        "hip_width": 35.0,
        "hip_depth": 25.0,
        "hip_girth": 101.0,
        "arm_length": 58.0,
        "torso_length": 50.0,
        "inseam": 82.0,
    },
]


@pytest.fixture(scope="module")
def canonical():
    return canonical_body()


def test_canonical_is_closed_and_outward(canonical):
    mesh = trimesh.Trimesh(canonical.vertices, canonical.faces, process=False)
    assert mesh.is_watertight
    assert mesh.is_winding_consistent
    assert mesh.volume > 0.0  # outward normals give a positive volume
    assert 4000 <= len(canonical.vertices) <= 8000


def test_canonical_frame_and_size(canonical):
    anchors = canonical.anchors
    assert canonical.height_m == pytest.approx(1.70, abs=1e-6)
    assert canonical.vertices[:, 1].min() == pytest.approx(anchors["floor"], abs=1e-6)
    # origin midway between the hip joints; left (+X) shoulder first
    assert np.allclose(anchors["hip_joints"].mean(axis=0), 0.0)
    assert anchors["shoulders"][0, 0] > 0.0 > anchors["shoulders"][1, 0]
    # the nose side (+Z) is the front: the feet point there
    feet = canonical.vertices[canonical.vertices[:, 1] < anchors["floor"] + 0.01]
    assert feet[:, 2].max() > 0.15


def test_canonical_girths_are_size_m(canonical):
    girths = body_girths_cm(canonical.vertices, canonical.faces, canonical.anchors)
    assert girths["chest"] == pytest.approx(96.0, rel=0.01)
    assert girths["waist"] == pytest.approx(82.0, rel=0.01)
    assert girths["hips"] == pytest.approx(100.0, rel=0.01)


@pytest.mark.parametrize("measurements", SHAPES)
def test_build_body_meets_measurements(measurements, canonical):
    body = build_body(measurements)
    girths = body_girths_cm(body.vertices, body.faces, body.anchors)
    for girth, key in (
        ("chest", "chest_girth"),
        ("waist", "waist_girth"),
        ("hips", "hip_girth"),
    ):
        assert girths[girth] == pytest.approx(measurements[key], rel=GIRTH_TOLERANCE)
    assert body.height_m == pytest.approx(
        measurements["height"] / 100.0, abs=HEIGHT_TOLERANCE_M
    )
    # same connectivity as the canonical body, still closed
    assert np.array_equal(body.faces, canonical.faces)
    mesh = trimesh.Trimesh(body.vertices, body.faces, process=False)
    assert mesh.is_watertight and mesh.volume > 0.0


def test_measured_width_is_kept():
    body = build_body(SHAPES[1])
    assert body.measurements_cm["chest_width"] == pytest.approx(27.0, abs=0.1)


def test_skin_weights_are_a_partition(canonical):
    weights = canonical.skin_weights
    assert weights.shape == (len(canonical.vertices), len(canonical.joint_names))
    assert np.allclose(weights.sum(axis=1), 1.0, atol=1e-5)
    assert (weights >= 0.0).all()


def test_skin_with_identity_is_rest(canonical):
    transforms = np.tile(np.eye(4, dtype=np.float32), (len(canonical.joints), 1, 1))
    moved = skin(canonical.vertices, canonical.skin_weights, transforms)
    assert np.allclose(moved, canonical.vertices, atol=1e-6)


def test_skin_with_one_rigid_motion_moves_rigidly(canonical):
    rotation = trimesh.transformations.rotation_matrix(0.7, [0.2, 1.0, 0.1])
    rotation[:3, 3] = (0.1, -0.2, 2.0)
    transforms = np.tile(rotation.astype(np.float32), (len(canonical.joints), 1, 1))
    moved = skin(canonical.vertices, canonical.skin_weights, transforms)
    expected = canonical.vertices @ rotation[:3, :3].T + rotation[:3, 3]
    assert np.allclose(moved, expected, atol=1e-5)


@pytest.mark.parametrize(
    ("measurements", "message"),
    [
        # a number that is not one
        (
            {"height": "tall"},
            "measurement height must be a number of centimetres, "
            "got 'tall'; give a number",
        ),
        # metres instead of centimetres
        (
            {"height": 1.8},
            "measurement height must be between 100 and 230 cm, got "
            "1.8; check the number and its unit",
        ),
        # negative
        (
            {"chest_girth": -3.0},
            "measurement chest_girth must be a positive number "
            "of centimetres, got -3.0; give a positive number",
        ),
    ],
)
def test_bad_measurements_say_what_to_do(measurements, message):
    with pytest.raises(BadMeasurement) as caught:
        build_body(measurements)
    assert str(caught.value) == message
    assert caught.value.user_error


def test_nearly_equal_measurements_share_one_body():
    # consecutive video frames measure the same person a little differently
    first = build_body({"height": 171.1, "chest_girth": 97.9})
    second = build_body({"height": 170.9, "chest_girth": 98.1})
    assert first is second
    assert first.measurements_cm["height"] == pytest.approx(171.0)
