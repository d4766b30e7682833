"""A photo's fit: ease from the rest estimate, strain and quality from the drape."""

from __future__ import annotations

import pytest

from garments.fit import LABELS, FitReport, RegionFit, combine_fit

STRAIN_LIMIT = 0.25


def _report(regions, **quality) -> FitReport:
    values = dict(
        score=1.0,
        strain_p95=0.01,
        labels=LABELS,
        penetration_ratio=0.0,
        edge_strain_p95=0.01,
        solver_iterations=0,
        converged=False,
    )
    values.update(quality)
    return FitReport(regions=regions, **values)


def test_ease_from_estimate_strain_and_quality_from_drape():
    estimate = _report(
        {"chest": RegionFit(6.0, 0.0, "good"), "length": RegionFit(0.0, 0.0, "good")}
    )
    # The pose made the drape read a loose chest, but stretched it.
    draped = _report(
        {
            "chest": RegionFit(25.0, 0.05, "too loose"),
            "sleeves": RegionFit(9.0, 0.0, "good"),
        },
        strain_p95=0.04,
        penetration_ratio=0.002,
        edge_strain_p95=0.03,
        solver_iterations=60,
        converged=True,
    )
    fit = combine_fit(estimate, draped, strain_limit=STRAIN_LIMIT, category="top")

    assert fit.regions["chest"].ease_cm == 6.0
    assert fit.regions["chest"].strain == pytest.approx(0.05)
    assert fit.regions["chest"].label == "good"
    # sleeves exist only in the drape; length only in the estimate
    assert fit.regions["sleeves"].ease_cm == 9.0
    assert fit.regions["length"].label == "good"
    assert (fit.strain_p95, fit.penetration_ratio, fit.edge_strain_p95) == (
        0.04,
        0.002,
        0.03,
    )
    assert (fit.solver_iterations, fit.converged) == (60, True)
    assert 0.0 <= fit.score <= 1.0


def test_strain_over_the_limit_makes_a_region_too_tight():
    estimate = _report({"waist": RegionFit(5.0, 0.0, "good")})
    draped = _report({"waist": RegionFit(5.0, 0.3, "too tight")})
    fit = combine_fit(estimate, draped, strain_limit=STRAIN_LIMIT, category="top")
    assert fit.regions["waist"].label == "too tight"
