"""Lighting estimated from synthetic photos with a known light."""

from __future__ import annotations

import numpy as np
import pytest

from render import Lighting, colour_temperature_k, estimate_lighting
from tests.render.conftest import save_png

HEIGHT, WIDTH = 240, 180


def lit_person(direction: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """A grey ellipsoid "person" shaded by a Lambertian light.

    Args:
        direction: towards the light, camera frame (x right, y down, z
            forward).

    Returns:
        (H, W, 3) uint8 photo on a mid-grey background and (H, W) bool mask.
    """
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH] + 0.5
    x = (cols - WIDTH / 2) / (0.3 * WIDTH)
    y = (rows - HEIGHT / 2) / (0.4 * HEIGHT)
    mask = x**2 + y**2 < 1.0
    z = -np.sqrt(np.clip(1.0 - x**2 - y**2, 0.0, 1.0))  # surface faces -z
    normals = np.stack([x, y, z], axis=-1)  # (H, W, 3)
    light = np.asarray(direction) / np.linalg.norm(direction)
    shading = 0.1 + 0.8 * np.clip(normals @ light, 0.0, 1.0)  # (H, W)
    grey = np.where(mask, shading, 0.45)
    photo = np.repeat(np.rint(grey * 255)[..., None], 3, axis=2).astype(np.uint8)
    return photo, mask


@pytest.mark.parametrize(
    "direction, axis, sign",
    [
        ((-1.0, 0.0, -1.0), 0, -1),  # from the image's left
        ((1.0, 0.0, -1.0), 0, 1),  # from the right
        ((0.0, -1.0, -1.0), 1, -1),  # from above
    ],
)
def test_the_direction_points_to_the_lit_side(direction, axis, sign, output_dir):
    photo, mask = lit_person(direction)

    lighting = estimate_lighting(photo, mask)

    save_png(output_dir / f"render_lit_{axis}_{sign:+d}.png", photo)
    assert np.sign(lighting.direction[axis]) == sign
    assert abs(lighting.direction[axis]) > 0.3
    assert lighting.direction[2] < 0.0  # in front of the person
    assert np.linalg.norm(lighting.direction) == pytest.approx(1.0)
    assert lighting.source == "photo"


def test_without_a_person_the_light_is_frontal_from_above():
    photo, _ = lit_person((-1.0, 0.0, -1.0))

    lighting = estimate_lighting(photo, None)

    assert lighting.direction[0] == 0.0
    assert lighting.direction[1] < 0.0 and lighting.direction[2] < 0.0


def test_a_warm_photo_has_a_lower_colour_temperature_than_a_cool_one():
    photo, mask = lit_person((0.0, -1.0, -1.0))
    warm = np.clip(photo * np.array([1.15, 1.0, 0.75]), 0, 255).astype(np.uint8)
    cool = np.clip(photo * np.array([0.8, 0.95, 1.15]), 0, 255).astype(np.uint8)

    warm_light = estimate_lighting(warm, mask)
    cool_light = estimate_lighting(cool, mask)
    neutral_light = estimate_lighting(photo, mask)

    assert warm_light.colour_temperature_k < neutral_light.colour_temperature_k
    assert neutral_light.colour_temperature_k < cool_light.colour_temperature_k
    assert warm_light.colour[0] > warm_light.colour[2]  # a reddish light
    assert cool_light.colour[2] > cool_light.colour[0]


def test_grey_is_daylight_white():
    # Equal linear RGB is the sRGB white point, D65: about 6500 K.
    assert colour_temperature_k(np.array([0.5, 0.5, 0.5])) == pytest.approx(
        6500, abs=60
    )


def test_a_dark_photo_gets_a_dimmer_light():
    photo, mask = lit_person((0.0, -1.0, -1.0))

    bright = estimate_lighting(photo, mask)
    dark = estimate_lighting((photo // 3).astype(np.uint8), mask)

    assert dark.intensity < bright.intensity
    assert Lighting().intensity == 1.0
