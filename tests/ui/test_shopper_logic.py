"""The shopper page's small rules, checked without a server."""

from __future__ import annotations

import pytest

from ui.shopper_actions import neighbour_sizes
from ui.words import fit_in_words

SIZES = ["XS", "S", "M", "L", "XL", "XXL"]


@pytest.mark.parametrize(
    ("centre", "expected"),
    [
        ("M", ["S", "M", "L"]),  # in the middle
        ("XS", ["XS", "S"]),  # at the small end
        ("XXL", ["XL", "XXL"]),  # at the large end
        (None, ["M", "L", "XL"]),  # no recommendation: around the middle
    ],
)
def test_neighbour_sizes(centre, expected):
    assert neighbour_sizes(SIZES, centre) == expected


def test_fit_in_words_reads_like_a_sentence():
    fit = {
        "regions": {
            "chest": {"label": "snug"},
            "waist": {"label": "relaxed"},
            "hips": {"label": "good"},
        },
        "recommended_size": "M",
    }
    assert fit_in_words(fit) == (
        "Snug at the chest, relaxed at the waist, a good fit at the hips; "
        "M suits you best"
    )
