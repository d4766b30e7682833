"""Intrinsics of a photo: EXIF focal length versus the phone-like default."""

from __future__ import annotations

import math

import numpy as np
import pytest

from render import RenderInputError, intrinsics_for_image, project_points


def test_exif_focal_length_keeps_the_diagonal_field_of_view():
    intrinsics = intrinsics_for_image(4000, 3000, focal_length_35mm=26.0)

    # 26 mm on a 43.27 mm diagonal, scaled to a 5000 px diagonal.
    expected = 26.0 * 5000.0 / math.hypot(36.0, 24.0)
    assert intrinsics.source == "exif"
    assert intrinsics.K[0, 0] == pytest.approx(expected)
    assert intrinsics.K[1, 1] == pytest.approx(expected)
    assert (intrinsics.K[0, 2], intrinsics.K[1, 2]) == (2000.0, 1500.0)


@pytest.mark.parametrize(
    "focal_length_35mm",
    [None, 0.0],  # absent, and EXIF's "unknown" value 0
)
def test_without_exif_the_focal_length_is_0_6_diagonals(focal_length_35mm):
    intrinsics = intrinsics_for_image(720, 960, focal_length_35mm)

    assert intrinsics.source == "default"
    assert intrinsics.K[0, 0] == pytest.approx(0.6 * 1200.0)
    assert intrinsics.K[2].tolist() == [0.0, 0.0, 1.0]
    assert intrinsics.as_dict()["source"] == "default"


def test_projection_puts_the_optical_axis_at_the_principal_point():
    intrinsics = intrinsics_for_image(640, 480)
    points = np.array([[0.0, 0.0, 2.0], [0.5, -0.25, 2.0]])

    pixels = project_points(intrinsics.K, points)

    f = intrinsics.focal_length_px
    assert pixels[0].tolist() == [320.0, 240.0]
    assert pixels[1] == pytest.approx([320.0 + 0.25 * f, 240.0 - 0.125 * f])


def test_a_bad_size_is_refused_with_its_values():
    with pytest.raises(RenderInputError) as error:
        intrinsics_for_image(0, 480)

    assert str(error.value) == "image size must be positive, got 0 x 480"
