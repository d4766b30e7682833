"""Screen-space ambient occlusion on depth maps with a known shape."""

from __future__ import annotations

import numpy as np

from render.ambient_occlusion import screen_space_occlusion


def test_a_groove_is_darker_and_flat_cloth_is_not():
    depth = np.full((60, 80), 2.0, np.float32)
    columns = np.arange(80)
    # A V-shaped fold 4 cm deep centred on column 40, 20 columns wide.
    groove = np.clip(1.0 - np.abs(columns - 40) / 10.0, 0.0, 1.0) * 0.04
    depth += groove[None, :].astype(np.float32)

    factor = screen_space_occlusion(depth, radius_px=8)

    assert factor[30, 40] < 0.8  # the bottom of the fold
    assert factor[30, 5] == 1.0  # flat cloth away from it
    assert factor[30, 40] < factor[30, 35] < factor[30, 5]


def test_nothing_rendered_is_not_darkened_and_edges_are_not_haloed():
    depth = np.zeros((40, 40), np.float32)
    depth[10:30, 10:30] = 2.0  # a flat square on an empty background

    factor = screen_space_occlusion(depth, radius_px=6)

    assert np.all(factor == 1.0)


def test_the_rim_of_a_sphere_is_not_visibly_darkened():
    rows, cols = np.mgrid[0:80, 0:80] - 39.5
    radius_sq = rows**2 + cols**2
    inside = radius_sq < 30.0**2
    # A sphere of radius 30 pixels (0.3 m) at 2 m: deeper towards the rim.
    bulge = np.sqrt(np.clip(30.0**2 - radius_sq, 0.0, None)) / 100.0
    depth = np.where(inside, 2.3 - bulge, 0.0).astype(np.float32)

    factor = screen_space_occlusion(depth, radius_px=8)

    # Neighbours missing beyond the rim bias the mean slightly.
    assert factor.min() > 0.98
