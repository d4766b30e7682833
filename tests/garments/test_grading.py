"""Size grading about body anchors, garment measures and default charts."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from garments.grading import (
    UnknownSize,
    anchor_height,
    default_size_chart,
    grade,
    measure_garment,
    proportional_anchors,
    torso_girth,
)
from tests.conftest import require_testdata

DECIMETRE = 0.1
# Girths and lengths must follow the chart within this, cm.
CHART_TOLERANCE_CM = 1.0


def _load(*parts: str) -> trimesh.Trimesh:
    mesh = trimesh.load(require_testdata(*parts), force="mesh", process=False)
    mesh.merge_vertices(merge_tex=True, merge_norm=True)
    return trimesh.Trimesh(mesh.vertices * DECIMETRE, mesh.faces, process=False)


@pytest.fixture(scope="module")
def body() -> trimesh.Trimesh:
    return _load("bodies", "female_generic.obj")


@pytest.fixture(scope="module")
def anchors(body) -> dict:
    return proportional_anchors(body.vertices)


@pytest.fixture(scope="module", params=["female_casualsuit02", "female_elegantsuit01"])
def garment(request) -> trimesh.Trimesh:
    return _load("garments", "makehuman", f"{request.param}.obj")


@pytest.fixture(scope="module")
def chart(garment, anchors) -> dict:
    return default_size_chart(measure_garment(garment.vertices, garment.faces, anchors))


def test_torso_girth_of_a_cylinder_ignores_side_pieces():
    # A vertical cylinder of radius 0.15 m on the axis plus one off to the
    # side (an arm): the torso girth is the big cylinder's circumference.
    torso = trimesh.creation.cylinder(radius=0.15, height=1.0, sections=256)
    arm = trimesh.creation.cylinder(radius=0.04, height=1.0, sections=64)
    arm.apply_translation([0.4, 0.0, 0.0])
    both = trimesh.util.concatenate([torso, arm])
    both.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [1, 0, 0]))
    girth, centre = torso_girth(both.vertices, both.faces, 0.1)
    assert girth == pytest.approx(2 * np.pi * 0.15, rel=1e-3)
    np.testing.assert_allclose(centre, [0.0, 0.0], atol=1e-9)


def test_default_chart_steps_by_standard_increments():
    chart = default_size_chart({"chest": 96.0, "length": 70.0}, base_size="M")
    assert list(chart) == ["XS", "S", "M", "L", "XL", "XXL"]
    assert chart["L"] == {"chest": 101.0, "length": 71.5}
    assert chart["XS"] == {"chest": 86.0, "length": 67.0}


@pytest.mark.parametrize("size", ["S", "L", "XL"])
def test_girths_change_by_the_chart_increments(garment, chart, anchors, size):
    graded = grade(garment.vertices, chart, "M", size, anchors, faces=garment.faces)
    measured = measure_garment(graded, garment.faces, anchors)
    for key in ("chest", "waist", "hip", "length"):
        assert measured[key] == pytest.approx(chart[size][key], abs=CHART_TOLERANCE_CM)


def test_one_size_up_is_not_a_uniform_scale(garment, chart, anchors):
    # Chest, waist and hip grow by the same 5 cm, so the relative growth
    # differs by region, and the top of the garment does not rise.
    graded = grade(garment.vertices, chart, "M", "L", anchors, faces=garment.faces)
    top = garment.vertices[:, 1].max()
    assert graded[:, 1].max() == pytest.approx(top, abs=1e-6)
    ratios = {
        key: torso_girth(graded, garment.faces, anchor_height(anchors, name))[0]
        / torso_girth(garment.vertices, garment.faces, anchor_height(anchors, name))[0]
        for key, name in (("chest", "chest"), ("waist", "waist"))
    }
    assert ratios["waist"] > ratios["chest"] > 1.0


def test_same_size_is_unchanged(garment, chart, anchors):
    graded = grade(garment.vertices, chart, "M", "M", anchors, faces=garment.faces)
    np.testing.assert_allclose(graded, garment.vertices, atol=1e-6)


def test_without_faces_chart_ratios_are_applied(garment, chart, anchors):
    # Without faces the girth factor is the chart ratio, not the increment.
    graded = grade(garment.vertices, chart, "M", "XL", anchors)
    height = anchor_height(anchors, "chest")
    before = torso_girth(garment.vertices, garment.faces, height)[0]
    after = torso_girth(graded, garment.faces, height)[0]
    ratio = chart["XL"]["chest"] / chart["M"]["chest"]
    assert after / before == pytest.approx(ratio, rel=1e-3)


def test_unknown_size_is_a_user_error(garment, chart, anchors):
    with pytest.raises(UnknownSize) as caught:
        grade(garment.vertices, chart, "M", "XXXL", anchors)
    assert str(caught.value) == (
        "size 'XXXL' is not in the size chart; choose one of XS, S, M, L, XL, XXL"
    )
    assert caught.value.user_error
