"""Drawing a pose on its photo, for people to check what was found."""

from __future__ import annotations

import numpy as np

from pose.landmarks import SKELETON_EDGES
from pose.measure import VISIBLE
from pose.result import PoseResult

__all__ = ["draw_landmarks"]

MASK_TINT = np.array([40, 160, 255], dtype=np.float32)  # light blue, RGB
MASK_OPACITY = 0.35
BONE_COLOUR = (255, 255, 255)
POINT_COLOUR = (255, 60, 60)
HIDDEN_COLOUR = (150, 150, 150)


def draw_landmarks(rgb: np.ndarray, result: PoseResult) -> np.ndarray:
    """The photo with the person mask tinted and the skeleton drawn.

    Args:
        rgb: (H, W, 3) uint8, the photo the pose was found in.
        result: its pose.

    Returns:
        (H, W, 3) uint8, a new picture. Landmarks with visibility under
        0.5 are drawn grey.
    """
    import cv2

    picture = np.ascontiguousarray(rgb, dtype=np.uint8).copy()
    if result.mask is not None and result.mask.shape == picture.shape[:2]:
        weight = (MASK_OPACITY * result.mask)[:, :, None]  # (H, W, 1)
        tinted = picture * (1.0 - weight) + MASK_TINT * weight
        picture = np.ascontiguousarray(tinted.astype(np.uint8))

    size = max(picture.shape[:2])
    thickness = max(1, round(size / 300))
    radius = max(2, round(size / 200))
    points = np.round(result.landmarks_px[:, :2]).astype(int)
    visible = result.landmarks_px[:, 2] >= VISIBLE
    for a, b in SKELETON_EDGES:
        colour = BONE_COLOUR if visible[a] and visible[b] else HIDDEN_COLOUR
        cv2.line(
            picture, tuple(points[a]), tuple(points[b]), colour, thickness, cv2.LINE_AA
        )
    for index, point in enumerate(points):
        colour = POINT_COLOUR if visible[index] else HIDDEN_COLOUR
        cv2.circle(picture, tuple(point), radius, colour, -1, cv2.LINE_AA)
    return picture
