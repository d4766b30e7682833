"""Content features of garments: colour family and price band."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence

import numpy as np

__all__ = ["COLOUR_FAMILIES", "colour_family", "price_band_edges", "price_band"]

COLOUR_FAMILIES: tuple[str, ...] = (
    "neutral",
    "red",
    "yellow",
    "green",
    "blue",
    "purple",
)
PRICE_BANDS = 4


def colour_family(colour: str | None) -> str:
    """The colour family of a ``#rrggbb`` colour (neutral when grey or unset).

    Families split the hue circle: red below 20 degrees and from 330,
    yellow to 70, green to 170, blue to 260, purple to 330; colours with
    little saturation or very dark or light ones are neutral.
    """
    if not colour or len(colour) != 7 or not colour.startswith("#"):
        return "neutral"
    try:
        rgb = [int(colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5)]
    except ValueError:
        return "neutral"
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    if saturation < 0.2 or lightness < 0.12 or lightness > 0.92:
        return "neutral"
    degrees = hue * 360.0
    for bound, family in (
        (20, "red"),
        (70, "yellow"),
        (170, "green"),
        (260, "blue"),
        (330, "purple"),
    ):
        if degrees < bound:
            return family
    return "red"


def price_band_edges(prices: Sequence[float]) -> list[float]:
    """Inner edges of :data:`PRICE_BANDS` bands of equal garment counts."""
    if len(prices) == 0:
        return []
    quantiles = np.linspace(0.0, 1.0, PRICE_BANDS + 1)[1:-1]
    return [float(q) for q in np.quantile(np.asarray(prices, float), quantiles)]


def price_band(price: float, edges: Sequence[float]) -> int:
    """The band (0 = cheapest) of ``price`` given :func:`price_band_edges`."""
    return int(np.searchsorted(np.asarray(edges), price, side="right"))
