"""Compositing rendered garment layers over the photo."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from render.errors import RenderInputError, check_array
from render.grain import add_grain, noise_sigma
from render.renderer import RenderLayers

__all__ = [
    "BODY_DEPTH_TOLERANCE_M",
    "Composite",
    "composite",
    "person_uncovered_ratio",
]

logger = logging.getLogger(__name__)

# A garment pixel farther than the given body depth by more than this is
# behind the person and hidden.
BODY_DEPTH_TOLERANCE_M = 0.01

# Width of the band around the garment in which the person's own clothing
# is looked for, as a share of the image diagonal.
CLOTHING_BAND_SHARE = 0.03

# The masks are reduced to about this many pixels on the long side for it.
RATIO_ANALYSIS_SIZE = 240


@dataclass(frozen=True)
class Composite:
    """The try-on picture.

    Attributes:
        picture: (H, W, 3) uint8 sRGB, the photo with the garment over it.
        garment_mask: (H, W) uint8, 255 where the garment is visible
            (coverage > 0.5), 0 elsewhere.
        person_uncovered_ratio: share of the person-mask pixels in a band
            around the garment (3 % of the image diagonal wide) that the
            garment does not cover: where the person's own clothing (or
            skin: the mask cannot tell them apart) shows beside the
            garment. 0 when the garment covers all of the person near it,
            or when nothing of the garment is visible.
    """

    picture: np.ndarray
    garment_mask: np.ndarray
    person_uncovered_ratio: float


def composite(
    photo_rgb: np.ndarray,
    layers: RenderLayers,
    person_mask: np.ndarray | None,
    body_depth: np.ndarray | None = None,
    *,
    grain: bool = True,
) -> Composite:
    """Put the garment over the photo ("over" with premultiplied alpha).

    The garment's coverage from the renderer is already anti-aliased
    (multisampled) and already hidden where the body mesh is in front of
    it; pixels with coverage 0 keep the photo's value bit for bit.

    Args:
        photo_rgb: (H, W, 3) uint8 sRGB photo.
        layers: the renderer's layers at the photo's size.
        person_mask: (H, W) person segmentation (bool, uint8 0..255 or float
            0..1), used for :attr:`Composite.person_uncovered_ratio`; or None.
        body_depth: (H, W) float32 metres along the camera's z of whatever
            of the person is known to be in front (for example a depth
            sensor's map), 0 where unknown; garment pixels more than 1 cm
            behind it are hidden. Or None.
        grain: give the garment the photo's own noise level, measured
            over the photo (:mod:`render.grain`), so it does not look
            pasted on; the noise is grey (the same in every channel) and
            comes from a fixed seed.

    Returns:
        The picture, the garment mask and the uncovered-person ratio.

    Raises:
        RenderInputError: when the sizes or dtypes do not match.
    """
    photo_rgb = check_array("photo_rgb", photo_rgb, (None, None, 3), "(H, W, 3)")
    if photo_rgb.dtype != np.uint8:
        raise RenderInputError(f"photo_rgb must be uint8, got {photo_rgb.dtype}")
    height, width = photo_rgb.shape[:2]
    check_array("layers.rgba", layers.rgba, (height, width, 4), "(H, W, 4)")
    rgba = layers.rgba
    coverage = layers.coverage
    if body_depth is not None:
        rgba, coverage = _hide_behind(layers, body_depth)

    # Over, in sRGB-encoded values, only inside the rendered window.
    picture = photo_rgb.copy()
    garment_mask = np.zeros((height, width), np.uint8)
    if layers.window is not None:
        rows, cols = _window_slices(layers.window)
        sigma = noise_sigma(photo_rgb) if grain else 0.0
        _over(picture[rows, cols], rgba[rows, cols], coverage[rows, cols], sigma)
        garment_mask[rows, cols] = np.where(
            coverage[rows, cols] > 0.5, np.uint8(255), np.uint8(0)
        )
    ratio = person_uncovered_ratio(garment_mask > 0, person_mask)
    return Composite(
        picture=picture, garment_mask=garment_mask, person_uncovered_ratio=ratio
    )


def _over(
    picture: np.ndarray, rgba: np.ndarray, coverage: np.ndarray, sigma: float
) -> None:
    """Premultiplied ``rgba`` over ``picture`` (h, w, 3) uint8, in place.

    Grain of ``sigma`` (0..255 units) is added to the garment's share.
    Pixels with coverage 0 keep their value exactly.
    """
    photo = picture.astype(np.float32)  # (h, w, 3), 0..255
    over = rgba[..., :3] * np.float32(255.0)  # (h, w, 3)
    add_grain(over, coverage, sigma)
    over += (np.float32(1.0) - coverage)[..., None] * photo
    np.rint(over, out=over)
    np.clip(over, 0.0, 255.0, out=over)
    visible = (coverage > 0)[..., None]  # (h, w, 1)
    np.copyto(picture, over.astype(np.uint8), where=visible)


def _window_slices(window: tuple[int, int, int, int]) -> tuple[slice, slice]:
    left, top, width, height = window
    return slice(top, top + height), slice(left, left + width)


def person_uncovered_ratio(
    garment: np.ndarray, person_mask: np.ndarray | None
) -> float:
    """Share of person pixels in a band around the garment left uncovered.

    Args:
        garment: (H, W) bool, visible garment.
        person_mask: (H, W) bool, uint8 0..255 or float 0..1; or None.

    Returns:
        0..1; 0 without a mask or without a visible garment.
    """
    if person_mask is None or not garment.any():
        return 0.0
    import cv2  # noqa: PLC0415

    height, width = garment.shape
    person_mask = check_array("person_mask", person_mask, (height, width), "(H, W)")

    # At a reduced scale: a statistic, not a picture.
    step = max(1, math.ceil(max(height, width) / RATIO_ANALYSIS_SIZE))
    garment, person = garment[::step, ::step], person_mask[::step, ::step]
    person = person > (127 if person.dtype == np.uint8 else 0.5)
    band_px = max(1, round(CLOTHING_BAND_SHARE * math.hypot(height, width) / step))
    kernel = cv2.getStructuringElement(
        cv2.MORPH_ELLIPSE, (2 * band_px + 1, 2 * band_px + 1)
    )
    region = cv2.dilate(garment.astype(np.uint8), kernel) > 0  # (h, w)
    person_near = person & region
    total = int(person_near.sum())
    if total == 0:
        return 0.0
    return float((person_near & ~garment).sum()) / total


def _hide_behind(
    layers: RenderLayers, body_depth: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Layers with the garment removed where ``body_depth`` is in front."""
    height, width = layers.coverage.shape
    body_depth = check_array("body_depth", body_depth, (height, width), "(H, W)")
    behind = (body_depth > 0) & (
        layers.depth > body_depth + BODY_DEPTH_TOLERANCE_M
    )  # (H, W)
    keep = np.where(behind, np.float32(0.0), np.float32(1.0))
    return layers.rgba * keep[..., None], layers.coverage * keep
