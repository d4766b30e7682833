"""Fit-map colours: stretch from blue (none) to red (the fabric's limit)."""

from __future__ import annotations

import numpy as np

from render.errors import RenderInputError, check_array

__all__ = ["draw_legend", "strain_colours", "strain_hue_degrees"]

# Hue at no stretch (blue) and at the fabric's limit (red), degrees.
HUE_NONE = 240.0
HUE_LIMIT = 0.0

# Ticks on the legend, as shares of the limit.
LEGEND_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


def strain_hue_degrees(strain: np.ndarray, strain_limit: float) -> np.ndarray:
    """Hue of each strain: 240 (blue) at 0, 0 (red) at the limit, linear.

    Compressed cloth (negative strain) is shown as no stretch (blue);
    strain beyond the limit stays red.
    """
    if not strain_limit > 0:
        raise RenderInputError(f"strain_limit must be > 0, got {strain_limit}")
    share = np.clip(np.nan_to_num(strain, nan=0.0) / strain_limit, 0.0, 1.0)
    return HUE_NONE + (HUE_LIMIT - HUE_NONE) * share


def strain_colours(strain: np.ndarray, strain_limit: float) -> np.ndarray:
    """Fit-map colour per vertex, like pattern-making tools' stretch maps.

    Blue at no stretch, then cyan, green, yellow, red at the fabric's
    stretch limit (hue falls linearly with strain; full saturation and
    value). Compressed cloth (negative strain) is blue like unstretched
    cloth: the map shows stretch only. NaN counts as 0.

    Args:
        strain: (V,) stretch ratio minus 1 (0.05 = 5 % stretched).
        strain_limit: the fabric's stretch limit (> 0), shown as red.

    Returns:
        (V, 3) float32 sRGB in 0..1 (feed to ``GarmentMesh.vertex_colours``).

    Raises:
        RenderInputError: on a wrong shape or a non-positive limit.
    """
    strain = check_array("strain", strain, (None,), "(V,)").astype(np.float64)
    hue = strain_hue_degrees(strain, strain_limit)
    return _hsv_to_rgb(hue).astype(np.float32)


def draw_legend(picture: np.ndarray, strain_limit: float) -> np.ndarray:
    """A copy of ``picture`` with the fit map's colour bar on its right.

    The bar runs from 0 % stretch (blue, bottom) to the fabric's limit
    (red, top), with ticks labelled in % stretch, on a white panel.

    Args:
        picture: (H, W, 3) uint8 sRGB.
        strain_limit: the fabric's stretch limit (> 0).

    Returns:
        (H, W, 3) uint8, a new array.

    Raises:
        RenderInputError: on a wrong shape or dtype, or a bad limit.
    """
    import cv2  # noqa: PLC0415

    picture = check_array("picture", picture, (None, None, 3), "(H, W, 3)")
    if picture.dtype != np.uint8:
        raise RenderInputError(f"picture must be uint8, got {picture.dtype}")
    if not strain_limit > 0:
        raise RenderInputError(f"strain_limit must be > 0, got {strain_limit}")
    out = np.ascontiguousarray(picture.copy())
    height, width = out.shape[:2]

    # Layout scaled to the picture: bar 40 % of the height, at the right.
    unit = max(1.0, min(height, width) / 480.0)
    bar_w, bar_h = round(18 * unit), round(0.4 * height)
    margin, text_w = round(10 * unit), round(52 * unit)
    x1 = width - margin - text_w
    x0, y0 = x1 - bar_w, round(0.08 * height)
    y1 = y0 + bar_h
    font, scale, thick = cv2.FONT_HERSHEY_SIMPLEX, 0.42 * unit, max(1, round(unit))

    # A light panel behind, blended so the photo still shows a little.
    px0, py0 = max(0, x0 - margin), max(0, y0 - round(26 * unit))
    px1, py1 = width - max(1, margin // 3), min(height, y1 + margin)
    panel = out[py0:py1, px0:px1].astype(np.float32)
    out[py0:py1, px0:px1] = np.rint(0.25 * panel + 0.75 * 255).astype(np.uint8)

    # The bar: top row is the limit (red), bottom row 0 (blue).
    shares = np.linspace(1.0, 0.0, bar_h)  # (bar_h,)
    column = strain_colours(shares * strain_limit, strain_limit)  # (bar_h, 3)
    out[y0:y1, x0:x1] = np.rint(column[:, None, :] * 255).astype(np.uint8)

    # Ticks and labels in % stretch, and a title.
    ink = (20, 20, 20)
    for share in LEGEND_TICKS:
        y = round(y1 - 1 - share * (bar_h - 1))
        cv2.line(out, (x1, y), (x1 + round(5 * unit), y), ink, thick)
        label = _percent(100.0 * share * strain_limit)
        origin = (x1 + round(8 * unit), y + round(5 * unit))
        cv2.putText(out, label, origin, font, scale, ink, thick, cv2.LINE_AA)
    title_origin = (x0 - round(4 * unit), y0 - round(9 * unit))
    cv2.putText(out, "stretch", title_origin, font, scale, ink, thick, cv2.LINE_AA)
    return out


def _percent(value: float) -> str:
    """'12%' for whole numbers, '2.5%' otherwise."""
    if abs(value - round(value)) < 0.05:
        return f"{value:.0f}%"
    return f"{value:.1f}%"


def _hsv_to_rgb(hue_degrees: np.ndarray) -> np.ndarray:
    """Fully saturated, full-value colours of the given hues.

    Args:
        hue_degrees: (V,) hues in degrees, 0..360.

    Returns:
        (V, 3) float64 RGB in 0..1.
    """
    sector = (np.asarray(hue_degrees) % 360.0) / 60.0  # (V,) in 0..6
    # Each channel is a trapezoid over the hue circle.
    offsets = np.array([5.0, 3.0, 1.0])  # red, green, blue
    k = (offsets[None, :] + sector[:, None]) % 6.0  # (V, 3)
    return 1.0 - np.clip(np.minimum(k, 4.0 - k), 0.0, 1.0)
