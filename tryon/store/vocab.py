"""The fixed vocabularies of the event store.

Values outside these tuples are refused when an event is recorded, so
that the analysts' reports group on a closed set of labels.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "FIT_LABELS",
    "RETURN_REASONS",
    "SOURCES",
    "CATEGORIES",
    "overall_fit_label",
]

# From tight to loose; the fit report of a try-on uses exactly these.
FIT_LABELS: tuple[str, ...] = ("too tight", "snug", "good", "relaxed", "too loose")

RETURN_REASONS: tuple[str, ...] = (
    "too small",
    "too large",
    "not as pictured",
    "colour",
    "quality",
    "changed mind",
    "other",
)

SOURCES: tuple[str, ...] = ("photo", "webcam")

CATEGORIES: tuple[str, ...] = ("top", "bottom", "dress", "outerwear")

# How far a label is from "good"; the overall label of a try-on is the
# region label furthest from "good", the tight side winning a tie.
_SEVERITY = {
    "too tight": 2.1,
    "snug": 1.1,
    "good": 0.0,
    "relaxed": 1.0,
    "too loose": 2.0,
}


def overall_fit_label(region_labels: Mapping[str, str]) -> str | None:
    """The one label that sums up a try-on's regions.

    Args:
        region_labels: region name -> label from :data:`FIT_LABELS`.

    Returns:
        The region label furthest from "good" (tight wins a tie), or None
        when there are no regions.
    """
    labels = [label for label in region_labels.values() if label in _SEVERITY]
    if not labels:
        return None
    return max(labels, key=lambda label: _SEVERITY[label])
