"""Fit predicted from a size chart: body girths against garment girths.

This is the fast stand-in for a full drape that the traffic simulator
and the recommender use. For each region a garment category covers, the
ease is the garment's girth in that size minus the body's girth (cm);
its deviation from the ease such a garment is usually cut with
(:data:`IDEAL_EASE_CM`, e.g. 10 cm at a tee's chest, 2 cm at a
trouser waist) gives the label:

    deviation < -7 cm          too tight
    -7 <= deviation < -3 cm    snug
    -3 <= deviation < 5 cm     good
    5 <= deviation < 11 cm     relaxed
    deviation >= 11 cm         too loose

Note:
    It ignores fabric stretch, cut and posture, which a drape would see,
    and garment-specific design ease (a chart does not say it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "ChartFit",
    "REGIONS_BY_CATEGORY",
    "chart_fit",
    "best_size",
    "ease_label",
]

# Body measurement key (as in ``tryon pose``) of each chart region.
BODY_KEYS = {"chest": "chest_girth", "waist": "waist_girth", "hip": "hip_girth"}

# Usual ease (cm) of each region a category covers.
IDEAL_EASE_CM: dict[str, dict[str, float]] = {
    "top": {"chest": 10.0, "waist": 14.0},
    "bottom": {"waist": 2.0, "hip": 9.0},
    "dress": {"chest": 8.0, "waist": 8.0, "hip": 12.0},
    "outerwear": {"chest": 16.0, "waist": 18.0},
}
REGIONS_BY_CATEGORY = {name: tuple(row) for name, row in IDEAL_EASE_CM.items()}
# Used for an unknown category.
_DEFAULT_IDEAL = {"chest": 10.0, "waist": 10.0, "hip": 10.0}

# Deviation from the usual ease this far away scores zero.
SCORE_SPAN_CM = 14.0

_BOUNDS = ((-7.0, "too tight"), (-3.0, "snug"), (5.0, "good"), (11.0, "relaxed"))


@dataclass(frozen=True)
class ChartFit:
    """Fit of one size for one body, from the size chart.

    Attributes:
        size: size label.
        score: 0..1, 1 at the ideal ease in every region.
        ease_cm: region -> garment girth minus body girth (cm).
        deviation_cm: region -> ease minus the usual ease (cm).
        labels: region -> label (too tight .. too loose).
        label: the region label furthest from "good" (tight wins ties).
        tightest_region: the region furthest below its usual ease, or None.
    """

    size: str
    score: float
    ease_cm: dict[str, float]
    deviation_cm: dict[str, float]
    labels: dict[str, str]
    label: str | None
    tightest_region: str | None


def ease_label(deviation_cm: float) -> str:
    """The label of an ease deviation in cm (see the module docstring)."""
    for bound, label in _BOUNDS:
        if deviation_cm < bound:
            return label
    return "too loose"


def _overall(labels: Mapping[str, str]) -> str | None:
    severity = {
        "too tight": 2.1,
        "snug": 1.1,
        "good": 0.0,
        "relaxed": 1.0,
        "too loose": 2.0,
    }
    if not labels:
        return None
    return max(labels.values(), key=lambda label: severity[label])


def chart_fit(
    measurements_cm: Mapping[str, float],
    chart_row: Mapping[str, float],
    category: str,
    size: str = "",
) -> ChartFit:
    """Fit of one chart row (one size) on a body.

    Args:
        measurements_cm: body girths keyed chest_girth, waist_girth,
            hip_girth (cm); missing keys skip their region.
        chart_row: the size's garment measurements {chest, waist, hip} (cm).
        category: top, bottom, dress or outerwear.
        size: the size label, copied into the result.

    Returns:
        The :class:`ChartFit`; with no usable region its score is 0.5 and
        its label None.
    """
    ideal = IDEAL_EASE_CM.get(category, _DEFAULT_IDEAL)
    ease: dict[str, float] = {}
    for region in ideal:
        body = measurements_cm.get(BODY_KEYS[region])
        garment = chart_row.get(region)
        if body is not None and garment is not None:
            ease[region] = float(garment) - float(body)
    if not ease:
        return ChartFit(size, 0.5, {}, {}, {}, None, None)
    deviation = {region: ease[region] - ideal[region] for region in ease}
    labels = {region: ease_label(value) for region, value in deviation.items()}
    scores = [
        max(0.0, 1.0 - abs(value) / SCORE_SPAN_CM) for value in deviation.values()
    ]
    return ChartFit(
        size=size,
        score=min(scores) * 0.5 + sum(scores) / len(scores) * 0.5,
        ease_cm=ease,
        deviation_cm=deviation,
        labels=labels,
        label=_overall(labels),
        tightest_region=min(deviation, key=deviation.get),
    )


def best_size(
    measurements_cm: Mapping[str, float],
    size_chart: Mapping[str, Mapping[str, float]],
    sizes: Sequence[str],
    category: str,
) -> ChartFit | None:
    """The size with the highest chart fit score.

    Ties go to the smaller total deviation from the usual ease, then to
    the smaller size.

    Returns:
        Its :class:`ChartFit`, or None when no size has a chart row.
    """
    fits = [
        chart_fit(measurements_cm, size_chart[size], category, size)
        for size in sizes
        if size in size_chart
    ]
    if not fits:
        return None
    # Scores bottom out at 0 far from the ideal; the smaller total
    # deviation then decides (a body beyond the chart gets the last size).
    return max(fits, key=lambda fit: (fit.score, -_total_deviation(fit)))


def _total_deviation(fit: ChartFit) -> float:
    return sum(abs(value) for value in fit.deviation_cm.values())
