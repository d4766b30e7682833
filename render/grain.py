"""Sensor noise of a photo, measured and given to the rendered garment.

A rendered garment is noiseless; in a phone photo, and more so in a dim
one, everything else is grainy, and a clean garment looks pasted on. The
photo's noise level is estimated over the whole photo (sensor noise is
much the same everywhere) with Immerkaer's method (1996): the mean
absolute response to a 3 x 3 kernel that cancels any locally linear image
leaves mostly noise. It is averaged over 8 x 8 blocks and taken from the
flattest quarter of them, so that texture and edges count less. Gaussian
noise of that level is then added to the garment's pixels, from a fixed
seed, so the same inputs give the same picture.

Note:
    Fine texture all over the photo (foliage, patterned fabric) still
    reads as noise; the estimate is capped at :data:`MAX_SIGMA`. Real
    grain is spatially correlated (demosaicing, JPEG); ours is white.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["MAX_SIGMA", "add_grain", "noise_sigma"]

# Largest noise level given to a garment, in 0..255 units.
MAX_SIGMA = 4.0

# The estimate is taken over blocks of this size, from the flattest ones
# (this percentile of the block levels): texture and edges raise a block's
# level, noise raises all of them.
BLOCK_PX = 8
FLAT_PERCENTILE = 25.0

# About this many pixels are analysed, whatever the photo's size.
ANALYSED_PX = 150_000

# Seed of the garment's grain.
GRAIN_SEED = 20240611

# Immerkaer's kernel: zero response to any locally linear image.
_KERNEL = np.array([[1.0, -2.0, 1.0], [-2.0, 4.0, -2.0], [1.0, -2.0, 1.0]])


def noise_sigma(rgb: np.ndarray) -> float:
    """Standard deviation of the photo's noise (green channel), 0..255 units.

    Measured on up to about :data:`ANALYSED_PX` pixels, in full-width bands
    spread evenly over the photo.

    Args:
        rgb: (h, w, 3) uint8.

    Returns:
        The estimate, 0 for a noiseless image (or one smaller than a
        block), capped at MAX_SIGMA.
    """
    height, width = rgb.shape[:2]
    band = BLOCK_PX * 4 + 2  # four rows of blocks, plus the kernel's border
    if height < band or width < BLOCK_PX + 2:
        return 0.0
    count = min(height // band, max(1, math.ceil(ANALYSED_PX / (band * width))))
    starts = np.linspace(0, height - band, count).astype(int)  # (count,)
    levels = np.concatenate([_block_levels(rgb[s : s + band, :, 1]) for s in starts])
    level = float(np.percentile(levels, FLAT_PERCENTILE))
    sigma = math.sqrt(math.pi / 2.0) * level / 6.0
    return min(sigma, MAX_SIGMA)


def _block_levels(channel: np.ndarray) -> np.ndarray:
    """Mean absolute kernel response per 8 x 8 block of one band.

    Args:
        channel: (b, w) uint8, one band of one colour channel.

    Returns:
        (n,) float32, one level per whole block.
    """
    import cv2  # noqa: PLC0415

    response = cv2.filter2D(channel.astype(np.float32), -1, _KERNEL)
    response = np.abs(response[1:-1, 1:-1])  # (b-2, w-2), border dropped
    rows = (response.shape[0] // BLOCK_PX) * BLOCK_PX
    cols = (response.shape[1] // BLOCK_PX) * BLOCK_PX
    blocks = response[:rows, :cols].reshape(
        rows // BLOCK_PX, BLOCK_PX, cols // BLOCK_PX, BLOCK_PX
    )
    return blocks.mean(axis=(1, 3)).ravel()


def add_grain(colour: np.ndarray, coverage: np.ndarray, sigma: float) -> np.ndarray:
    """``colour`` with Gaussian grain of ``sigma`` where there is garment.

    Args:
        colour: (h, w, 3) float32, 0..255, the composited pixels.
        coverage: (h, w) float32 0..1, the garment's coverage; the grain is
            scaled by it so edges blend.
        sigma: noise level, 0..255 units.

    Returns:
        (h, w, 3) float32, the same array, changed in place.
    """
    if sigma <= 0.0:
        return colour
    generator = np.random.default_rng(GRAIN_SEED)
    noise = generator.standard_normal(colour.shape[:2], dtype=np.float32)
    colour += (np.float32(sigma) * noise * coverage)[..., None]
    return colour
