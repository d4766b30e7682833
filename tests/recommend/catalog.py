"""A made-up catalog for the simulation, recommendation and analytics tests.

Garment records with size charts built here (not by the garment
generator), so that these tests do not move when its charts do.
"""

from __future__ import annotations

import itertools

SIZES = ("XS", "S", "M", "L", "XL", "XXL")
# Body girths (cm) each size is cut for: chest, waist, hip.
_BODY = {
    "XS": (82, 66, 88),
    "S": (88, 72, 94),
    "M": (94, 78, 100),
    "L": (100, 84, 106),
    "XL": (108, 92, 112),
    "XXL": (116, 100, 118),
}
# Ease (cm) added at chest, waist, hip per category.
_EASE = {
    "top": (10, 14, 10),
    "bottom": (0, 2, 9),
    "dress": (8, 8, 12),
    "outerwear": (16, 18, 16),
}
COLOURS = ("#111111", "#cc2222", "#ddbb22", "#22aa44", "#2244cc", "#8833aa")
PRICES = (15.0, 35.0, 80.0)


def chart(category: str) -> dict[str, dict[str, float]]:
    """Size chart {size: {chest, waist, hip, length}} of a category."""
    ease = _EASE[category]
    return {
        size: {
            "chest": float(_BODY[size][0] + ease[0]),
            "waist": float(_BODY[size][1] + ease[1]),
            "hip": float(_BODY[size][2] + ease[2]),
            "length": 70.0,
        }
        for size in SIZES
    }


def garment_records(per_category: int = 12) -> list[dict]:
    """``per_category`` garments for each category, colours and prices mixed."""
    records = []
    for category in _EASE:
        combos = itertools.islice(
            itertools.cycle(itertools.product(COLOURS, PRICES)), per_category
        )
        for n, (colour, price) in enumerate(combos):
            records.append(
                {
                    "id": f"{category}-{n:02d}",
                    "name": f"{category.title()} {n:02d}",
                    "category": category,
                    "fabric": "jersey",
                    "colour": colour,
                    "price": price + n % 5,
                    "tags": [],
                    "sizes": list(SIZES),
                    "base_size": "M",
                    "size_chart": chart(category),
                    "source_file": None,
                    "mesh_key": None,
                    "import_report": {},
                }
            )
    return records
