"""Fit-map colours and their legend."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

from render import RenderInputError, draw_legend, strain_colours
from tests.render.conftest import save_png

LIMIT = 0.12  # a knit's stretch limit


def test_no_stretch_is_blue_and_the_limit_is_red():
    colours = strain_colours(np.array([0.0, LIMIT, 2 * LIMIT, -0.05]), LIMIT)

    assert colours.dtype == np.float32
    assert colours[0].tolist() == [0.0, 0.0, 1.0]
    assert colours[1].tolist() == [1.0, 0.0, 0.0]
    assert colours[2].tolist() == [1.0, 0.0, 0.0]  # beyond the limit: red
    assert colours[3].tolist() == [0.0, 0.0, 1.0]  # compressed: blue


def test_hue_falls_monotonically_from_blue_through_green_to_red():
    strain = np.linspace(0.0, LIMIT, 61)

    colours = strain_colours(strain, LIMIT)

    hues = np.array([colorsys.rgb_to_hsv(*c)[0] * 360.0 for c in colours])
    hues[hues > 300.0] -= 360.0  # red may come back as 360
    assert hues[0] == pytest.approx(240.0)
    assert hues[-1] == pytest.approx(0.0)
    assert np.all(np.diff(hues) < 0.0)
    assert colours[30].tolist() == pytest.approx([0.0, 1.0, 0.0])  # half: green


def test_a_non_positive_limit_is_refused():
    with pytest.raises(RenderInputError) as error:
        strain_colours(np.zeros(3), 0.0)

    assert str(error.value) == "strain_limit must be > 0, got 0.0"


def test_the_legend_draws_a_red_to_blue_bar_on_a_copy(output_dir):
    picture = np.full((480, 360, 3), 90, np.uint8)

    drawn = draw_legend(picture, LIMIT)

    save_png(output_dir / "render_legend.png", drawn)
    assert drawn.shape == picture.shape and drawn.dtype == np.uint8
    assert np.all(picture == 90)  # the input is untouched
    right = drawn[:, 240:].reshape(-1, 3).astype(int)
    assert np.any((right[:, 0] > 240) & (right[:, 2] < 15))  # red
    assert np.any((right[:, 2] > 240) & (right[:, 0] < 15))  # blue
    assert np.all(drawn[:, :200] == 90)  # the left part is the picture
