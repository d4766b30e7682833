"""Fit measures: labels, ease per region, size up looser, size recommendation."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from garments.binding import bind
from garments.cloth import FABRICS, SolverSettings, penetration_ratio
from garments.colliders import MeshCollider
from garments.drape import DrapeBody, DrapeSettings, drape, hold_vertices
from garments.fit import (
    LABELS,
    design_hem_drop,
    fit_report,
    girth_label,
    length_label,
    recommend_size,
    region_girths_cm,
)
from garments.grading import (
    default_size_chart,
    grade,
    measure_garment,
    proportional_anchors,
)
from tests.conftest import require_testdata

DECIMETRE = 0.1
QUICK = DrapeSettings(solver=SolverSettings(max_iterations=40, min_iterations=20))
JERSEY = FABRICS["jersey"]


def _load(*parts: str) -> trimesh.Trimesh:
    mesh = trimesh.load(require_testdata(*parts), force="mesh", process=False)
    mesh.merge_vertices(merge_tex=True, merge_norm=True)
    return trimesh.Trimesh(mesh.vertices * DECIMETRE, mesh.faces, process=False)


def _widened(mesh: trimesh.Trimesh, factor: float) -> np.ndarray:
    """Vertices scaled horizontally about the vertical axis (a bigger build)."""
    vertices = mesh.vertices.copy()
    vertices[:, [0, 2]] *= factor
    return vertices


@pytest.fixture(scope="module")
def body() -> trimesh.Trimesh:
    return _load("bodies", "female_generic.obj")


@pytest.fixture(scope="module")
def anchors(body) -> dict:
    return proportional_anchors(body.vertices)


@pytest.fixture(scope="module")
def shirt() -> trimesh.Trimesh:
    outfit = _load("garments", "makehuman", "female_casualsuit02.obj")
    pieces = outfit.split(only_watertight=False)
    return max(pieces, key=lambda piece: piece.vertices[:, 1].max())


@pytest.fixture(scope="module")
def chart(shirt, anchors) -> dict:
    return default_size_chart(measure_garment(shirt.vertices, shirt.faces, anchors))


@pytest.mark.parametrize(
    ("ease", "strain", "label"),
    [
        (-1.0, 0.0, "too tight"),  # negative ease
        (10.0, 0.3, "too tight"),  # strain beyond the jersey limit 0.25
        (10.0, 0.2, "snug"),  # strain beyond half the limit
        (2.0, 0.0, "snug"),
        (8.0, 0.0, "good"),
        (20.0, 0.0, "relaxed"),
        (30.0, 0.0, "too loose"),
    ],
)
def test_girth_labels(ease, strain, label):
    assert girth_label(ease, strain, (4.0, 14.0, 24.0), JERSEY.strain_limit) == label


@pytest.mark.parametrize(
    ("offset", "label"),
    [(-8, "too tight"), (-3, "snug"), (0, "good"), (5, "relaxed"), (9, "too loose")],
)
def test_length_labels(offset, label):
    assert length_label(offset) == label


def test_report_of_the_garment_on_its_own_body(shirt, body, anchors):
    report = fit_report(
        shirt.vertices,
        shirt.faces,
        shirt.vertices,
        body.vertices,
        body.faces,
        anchors,
        strain_limit=JERSEY.strain_limit,
        design_hem_drop_m=design_hem_drop(shirt.vertices, anchors, "top"),
    )
    # The T-shirt's hem is at the hip line, so hips are not measured.
    assert set(report.regions) == {"chest", "waist", "shoulders", "sleeves", "length"}
    assert report.labels == LABELS
    assert all(region.label in LABELS for region in report.regions.values())
    # Unsettled garment on its own body: no strain, length as designed,
    # the MakeHuman T-shirt sits close (a few cm of ease).
    assert report.strain_p95 == pytest.approx(0.0, abs=1e-6)
    assert report.regions["length"].ease_cm == pytest.approx(0.0, abs=1e-6)
    assert 0.0 < report.regions["chest"].ease_cm < 6.0
    assert 0.0 <= report.score <= 1.0
    assert report.as_dict()["quality"]["converged"] is True


def test_ease_is_garment_minus_body_girth(shirt, body, anchors):
    report = fit_report(
        shirt.vertices,
        shirt.faces,
        shirt.vertices,
        body.vertices,
        body.faces,
        anchors,
        strain_limit=JERSEY.strain_limit,
    )
    garment = region_girths_cm(shirt.vertices, shirt.faces, anchors)
    bare = region_girths_cm(body.vertices, body.faces, anchors)
    for name in ("chest", "waist", "shoulders"):
        expected = garment[name] - bare[name]
        assert report.regions[name].ease_cm == pytest.approx(expected, abs=1e-6)


@pytest.fixture(scope="module")
def wide_body(body):
    # A build 6% wider than the mannequin, so that size M is stretched.
    vertices = _widened(body, 1.06)
    return vertices, MeshCollider(vertices, body.faces, spacing=0.012)


@pytest.fixture(scope="module")
def reports(shirt, body, anchors, chart, wide_body):
    vertices, collider = wide_body
    wide_anchors = proportional_anchors(vertices)
    drop = design_hem_drop(shirt.vertices, anchors, "top")
    results = {}
    for size in ("M", "L"):
        graded = grade(shirt.vertices, chart, "M", size, anchors, shirt.faces)
        binding = bind(graded, body.vertices, body.faces)
        draped = drape(
            graded,
            shirt.faces,
            JERSEY,
            binding,
            DrapeBody.at_rest(vertices, collider),
            anchor_vertices=hold_vertices(graded, shirt.faces),
            settings=QUICK,
        )
        results[size] = fit_report(
            draped.rest_frame_vertices,
            shirt.faces,
            graded,
            vertices,
            body.faces,
            wide_anchors,
            strain_limit=JERSEY.strain_limit,
            design_hem_drop_m=drop,
            penetration_ratio=penetration_ratio(draped.vertices, collider),
            solver_iterations=draped.settle.iterations,
            converged=draped.settle.converged,
            strain_vertices=draped.vertices,
        )
    return results


def test_one_size_up_is_looser_everywhere(reports):
    smaller, larger = reports["M"], reports["L"]
    assert set(smaller.regions) == set(larger.regions)
    for name in smaller.regions:
        assert larger.regions[name].ease_cm > smaller.regions[name].ease_cm, name
    assert larger.strain_p95 < smaller.strain_p95


def test_drape_quality_figures(reports):
    for report in reports.values():
        assert report.penetration_ratio < 0.01
        assert report.solver_iterations >= 20


@pytest.mark.parametrize("size_up", [1.04, 1.08, 1.12])
def test_a_bigger_chest_gets_a_bigger_size(shirt, body, anchors, chart, size_up):
    order = list(chart)

    def recommended(vertices: np.ndarray) -> int:
        size, estimates = recommend_size(
            shirt.vertices,
            shirt.faces,
            chart,
            "M",
            order,
            anchors,
            vertices,
            body.faces,
            proportional_anchors(vertices),
            strain_limit=JERSEY.strain_limit,
        )
        assert [estimate.size for estimate in estimates] == order
        return order.index(size)

    assert recommended(_widened(body, size_up)) > recommended(body.vertices)
