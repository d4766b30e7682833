"""The person's head in front of the garment.

The body mesh hides the garment where the mannequin is in front of it,
but the mannequin's head is a rough ellipsoid and has no hair: a head
bent forward over a shirt, or hair over the shoulders, would be painted
over. No garment in the catalog covers the head, so the garment is
hidden wherever the person's segmentation lies inside an ellipse around
the face landmarks.

Note:
    Hair falling below that ellipse (long hair over the shoulders) is not
    handled: the segmentation cannot tell hair from clothes.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from pose import Landmark

__all__ = ["HEAD_LANDMARKS", "head_mask", "hide_garment"]

HEAD_LANDMARKS = (
    Landmark.NOSE,
    Landmark.LEFT_EYE,
    Landmark.RIGHT_EYE,
    Landmark.LEFT_EAR,
    Landmark.RIGHT_EAR,
    Landmark.MOUTH_LEFT,
    Landmark.MOUTH_RIGHT,
)

# The head reaches this many times the face landmarks' spread from their
# centre (the crown and chin lie beyond the eyes, ears and mouth).
HEAD_REACH = 1.6
# Face landmarks below this visibility are not used.
MIN_VISIBILITY = 0.5


def head_mask(
    landmarks_px: np.ndarray, person_mask: np.ndarray | None
) -> np.ndarray | None:
    """(H, W) bool: the person's pixels within the head's ellipse.

    Args:
        landmarks_px: (33, 3) x, y in pixels and visibility.
        person_mask: (H, W) float 0..1 segmentation, or None.

    Returns:
        The mask, or None when there is no segmentation or fewer than three
        face landmarks are visible (a person seen from behind).
    """
    if person_mask is None:
        return None
    face = np.asarray(landmarks_px, dtype=np.float64)[list(HEAD_LANDMARKS)]
    face = face[face[:, 2] >= MIN_VISIBILITY, :2]  # (L, 2)
    if len(face) < 3:
        return None
    centre = face.mean(axis=0)
    radius = HEAD_REACH * max(np.linalg.norm(face - centre, axis=1).max(), 4.0)
    height, width = person_mask.shape
    top = int(max(centre[1] - radius, 0))
    bottom = int(min(centre[1] + radius + 1, height))
    left = int(max(centre[0] - radius, 0))
    right = int(min(centre[0] + radius + 1, width))
    mask = np.zeros((height, width), dtype=bool)
    if top >= bottom or left >= right:
        return mask
    rows, cols = np.mgrid[top:bottom, left:right]
    inside = (cols - centre[0]) ** 2 + (rows - centre[1]) ** 2 <= radius**2
    mask[top:bottom, left:right] = inside & (person_mask[top:bottom, left:right] > 0.5)
    return mask


def hide_garment(layers, mask: np.ndarray | None):
    """``layers`` (``render.RenderLayers``) with the garment gone under ``mask``."""
    if mask is None or layers.window is None or not mask.any():
        return layers
    keep = (~mask).astype(np.float32)  # (H, W)
    return dataclasses.replace(
        layers,
        rgba=layers.rgba * keep[..., None],
        coverage=layers.coverage * keep,
        depth=np.where(mask, 0.0, layers.depth).astype(layers.depth.dtype),
    )
