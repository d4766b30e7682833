"""The fit sentence of the try-on report."""

from __future__ import annotations

import pytest

from tryon.report import describe_fit


@pytest.mark.parametrize(
    ("regions", "expected"),
    [
        # girth regions read "<label> at <region>"
        (
            {"chest": {"label": "snug"}, "waist": {"label": "relaxed"}},
            "Snug at the chest, relaxed at the waist; M suits you best.",
        ),
        # a hem is short or long, never tight or loose
        (
            {"chest": {"label": "good"}, "length": {"label": "too tight"}},
            "Good at the chest, too short; M suits you best.",
        ),
        (
            {"length": {"label": "relaxed"}},
            "A little long; M suits you best.",
        ),
    ],
)
def test_fit_in_words(regions, expected):
    assert describe_fit(regions, "M") == expected
