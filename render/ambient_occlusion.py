"""Soft shadowing in folds: a cheap screen-space ambient occlusion.

A pixel lying deeper than the average depth of its neighbourhood sits in a
valley (a fold, the crease under an arm, the cloth beside an arm in front
of it) and receives less ambient light. This is the "depth unsharp mask"
idea: blur the depth buffer over the rendered surfaces only, subtract,
and darken by the positive difference. Near a silhouette, where most of
the neighbourhood is empty, it fades out (a convex rim is not a valley).
It costs two box filters.
"""

from __future__ import annotations

import numpy as np

__all__ = ["screen_space_occlusion"]


def screen_space_occlusion(
    depth: np.ndarray,
    radius_px: int,
    strength: float = 0.45,
    depth_scale_m: float = 0.03,
) -> np.ndarray:
    """Ambient light factor per pixel from a depth buffer.

    Args:
        depth: (H, W) float32 metres along the camera's z, 0 where nothing
            was rendered (garment and occluder surfaces both count).
        radius_px: half-size of the neighbourhood, pixels (>= 1).
        strength: the darkest factor is 1 - strength.
        depth_scale_m: depth difference at which the darkening saturates.

    Returns:
        (H, W) float32 in [1 - strength, 1]; 1 where nothing was rendered.
    """
    import cv2  # noqa: PLC0415  (comes with mediapipe; kept off import time)

    valid = (depth > 0).astype(np.float32)  # (H, W)
    size = (2 * int(radius_px) + 1,) * 2

    # Mean depth over the rendered pixels of each neighbourhood.
    depth_sum = cv2.boxFilter(depth.astype(np.float32), -1, size, normalize=True)
    valid_sum = cv2.boxFilter(valid, -1, size, normalize=True)
    mean_depth = depth_sum / np.maximum(valid_sum, 1e-6)  # (H, W)

    # Deeper than the neighbourhood: in a valley, darker.
    valley = np.clip((depth - mean_depth) / depth_scale_m, 0.0, 1.0)

    # Only where the neighbourhood is mostly surface: at a silhouette the
    # neighbours are all on one side, and a convex rim would look deep.
    surrounded = np.clip((valid_sum - 0.85) / 0.15, 0.0, 1.0)
    factor = 1.0 - strength * valley * surrounded * valid
    return factor.astype(np.float32)
