"""The head stays in front of the garment."""

from __future__ import annotations

import numpy as np

from pose import Landmark
from render import RenderLayers
from tryon.occlusion import HEAD_LANDMARKS, head_mask, hide_garment

SIZE = (120, 100)  # (H, W)


def _face_at(centre, spread, visibility=1.0) -> np.ndarray:
    """(33, 3) landmarks with the face spread around ``centre``."""
    landmarks = np.zeros((33, 3))
    angles = np.linspace(0, 2 * np.pi, len(HEAD_LANDMARKS), endpoint=False)
    for angle, part in zip(angles, HEAD_LANDMARKS, strict=True):
        landmarks[part] = (
            centre[0] + spread * np.cos(angle),
            centre[1] + spread * np.sin(angle),
            visibility,
        )
    landmarks[Landmark.NOSE, :2] = centre
    return landmarks


def test_head_is_the_person_inside_the_ellipse():
    person = np.zeros(SIZE, np.float32)
    person[:, :60] = 1.0  # the person fills the left 60 columns
    mask = head_mask(_face_at((50, 30), spread=10), person)

    assert mask[30, 50] and mask[30, 40]
    # beyond the head's reach (1.6 x 10 px) nothing is hidden
    assert not mask[30, 10] and not mask[60, 50]
    # inside the ellipse but not the person: the garment may show there
    assert not mask[30, 62]


def test_a_person_seen_from_behind_has_no_head_mask():
    person = np.ones(SIZE, np.float32)
    assert head_mask(_face_at((50, 30), 10, visibility=0.1), person) is None
    assert head_mask(_face_at((50, 30), 10), None) is None


def test_hidden_pixels_lose_colour_coverage_and_depth():
    height, width = SIZE
    layers = RenderLayers(
        rgba=np.ones((height, width, 4), np.float32),
        depth=np.full((height, width), 2.0, np.float32),
        coverage=np.ones((height, width), np.float32),
        window=(0, 0, width, height),
    )
    mask = np.zeros(SIZE, bool)
    mask[10:20, 10:20] = True
    hidden = hide_garment(layers, mask)

    assert hidden.coverage[15, 15] == 0 and hidden.rgba[15, 15].max() == 0
    assert hidden.depth[15, 15] == 0
    # elsewhere untouched
    assert hidden.coverage[50, 50] == 1 and hidden.depth[50, 50] == 2.0
