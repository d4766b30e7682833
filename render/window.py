"""The part of the image a garment can cover, to render only that.

Offscreen rendering on a CPU rasteriser costs in proportion to the pixels
of the framebuffer (clearing, 4x multisampling, resolving, reading back),
whatever the mesh covers. A garment covers a fraction of a photo, so the
renderer draws only the window around the garment's projection, with the
principal point shifted into that window, and pastes it into the full
image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["WINDOW_STEP_PX", "Window", "garment_window"]

# Window sizes are rounded up to a multiple of this, so that consecutive
# frames reuse the same framebuffer.
WINDOW_STEP_PX = 32

# Pixels added around the projected bounding box.
WINDOW_MARGIN_PX = 2


@dataclass(frozen=True)
class Window:
    """A rectangle of the image, in whole pixels.

    Attributes:
        left, top: first column and row.
        width, height: size in pixels.
    """

    left: int
    top: int
    width: int
    height: int

    @property
    def slices(self) -> tuple[slice, slice]:
        """Row and column slices of the window in a full image."""
        return (
            slice(self.top, self.top + self.height),
            slice(self.left, self.left + self.width),
        )

    def intrinsics(self, K: np.ndarray) -> np.ndarray:
        """``K`` for the window: the principal point moved by its corner."""
        shifted = np.array(K, dtype=np.float64)
        shifted[0, 2] -= self.left
        shifted[1, 2] -= self.top
        return shifted


def garment_window(
    K: np.ndarray, vertices: np.ndarray, size: tuple[int, int], znear: float
) -> Window | None:
    """The window that holds the projection of ``vertices``.

    Args:
        K: (3, 3) intrinsics, pixels.
        vertices: (V, 3) metres, OpenCV camera frame.
        size: (width, height) of the image.
        znear: the camera's near clipping distance, metres.

    Returns:
        The window, clipped to the image; the whole image when a vertex
        lies behind the near plane (its projection is meaningless); None
        when the garment's projection misses the image.
    """
    width, height = size
    whole = Window(0, 0, width, height)
    if len(vertices) == 0:
        return None
    if np.any(vertices[:, 2] <= znear):
        return whole
    projected = vertices[:, :2] / vertices[:, 2:3]  # (V, 2), normalised
    pixels = projected @ K[:2, :2].T + K[:2, 2]  # (V, 2)
    low = np.floor(pixels.min(axis=0)) - WINDOW_MARGIN_PX
    high = np.ceil(pixels.max(axis=0)) + WINDOW_MARGIN_PX
    left, top = max(0, int(low[0])), max(0, int(low[1]))
    right, bottom = min(width, int(high[0])), min(height, int(high[1]))
    if right <= left or bottom <= top:
        return None
    return _window(left, right, top, bottom, width, height)


def _window(
    left: int, right: int, top: int, bottom: int, width: int, height: int
) -> Window:
    left, window_width = _rounded(left, right, width)
    top, window_height = _rounded(top, bottom, height)
    return Window(left, top, window_width, window_height)


def _rounded(start: int, stop: int, limit: int) -> tuple[int, int]:
    """Start and length of [start, stop) grown to a multiple of the step.

    Grows to the right, or to the left at the image's edge; never beyond
    the image (the length is then the image's).
    """
    length = min(limit, math.ceil((stop - start) / WINDOW_STEP_PX) * WINDOW_STEP_PX)
    start = min(start, limit - length)
    return start, length
