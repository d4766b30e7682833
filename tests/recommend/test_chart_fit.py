"""The chart-based fit used by the simulator and the recommender."""

from __future__ import annotations

import pytest

from tests.recommend.catalog import SIZES, chart
from tryon.recommend.chart_fit import best_size, chart_fit, ease_label

BODY_M = {"chest_girth": 94.0, "waist_girth": 78.0, "hip_girth": 100.0}


@pytest.mark.parametrize(
    ("deviation_cm", "label"),
    [
        (-7.5, "too tight"),  # below -7
        (-7.0, "snug"),  # bounds belong to the looser label
        (-3.5, "snug"),
        (0.0, "good"),
        (4.9, "good"),
        (5.0, "relaxed"),
        (11.0, "too loose"),
    ],
)
def test_labels_by_deviation(deviation_cm, label):
    assert ease_label(deviation_cm) == label


def test_a_body_cut_for_size_m_fits_m_best():
    fit = best_size(BODY_M, chart("top"), SIZES, "top")
    assert fit.size == "M"
    assert fit.label == "good"
    assert fit.ease_cm == {"chest": 10.0, "waist": 14.0}
    assert fit.score == pytest.approx(1.0)


def test_smaller_sizes_get_tighter():
    labels = [chart_fit(BODY_M, chart("top")[s], "top", s).label for s in SIZES]
    assert labels == ["too tight", "snug", "good", "relaxed", "too loose", "too loose"]


def test_tightest_region_is_reported():
    body = {**BODY_M, "hip_girth": 110.0}
    fit = chart_fit(body, chart("bottom")["M"], "bottom", "M")
    assert fit.labels == {"waist": "good", "hip": "too tight"}
    assert fit.tightest_region == "hip"


def test_no_measurement_gives_no_label():
    fit = chart_fit({}, chart("dress")["M"], "dress", "M")
    assert (fit.label, fit.score, fit.labels) == (None, 0.5, {})


def test_a_body_beyond_the_chart_gets_the_largest_size():
    body = {"chest_girth": 150.0, "waist_girth": 140.0, "hip_girth": 150.0}
    fit = best_size(body, chart("top"), SIZES, "top")
    assert (fit.size, fit.label, fit.score) == ("XXL", "too tight", 0.0)
