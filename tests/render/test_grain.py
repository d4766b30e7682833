"""The photo's noise level, measured and given to the garment."""

from __future__ import annotations

import numpy as np
import pytest

from render import GarmentMesh, Lighting, Material, composite
from render.grain import MAX_SIGMA, noise_sigma
from tests.render.conftest import SIZE, quad, save_png


def grey_photo(sigma: float) -> np.ndarray:
    """(H, W, 3) uint8 mid-grey with seeded Gaussian noise of ``sigma``."""
    generator = np.random.default_rng(3)
    noise = generator.normal(0.0, sigma, (SIZE[1], SIZE[0], 1))
    return np.clip(np.rint(128.0 + noise), 0, 255).repeat(3, axis=2).astype(np.uint8)


def high_pass_sigma(values: np.ndarray) -> float:
    """Noise level from differences of horizontal neighbours (0..255)."""
    return float(np.diff(values.astype(np.float64), axis=1).std() / np.sqrt(2.0))


@pytest.mark.parametrize("sigma", [0.0, 1.5, 3.0])  # clean, phone, dim phone
def test_the_noise_of_a_flat_photo_is_measured(sigma):
    assert noise_sigma(grey_photo(sigma)) == pytest.approx(sigma, abs=0.4)


def test_a_smooth_gradient_is_not_noise():
    ramp = np.linspace(0, 255, SIZE[0])[None, :, None]
    photo = np.broadcast_to(ramp, (SIZE[1], SIZE[0], 3)).astype(np.uint8)

    assert noise_sigma(photo) < 0.3
    assert noise_sigma(grey_photo(40.0)) == MAX_SIGMA  # capped


def test_the_garment_gets_the_photo_s_grain(renderer, K, output_dir):
    # A flat quad facing a frontal light renders in one colour.
    garment = GarmentMesh(*quad(-0.2, 0.2, -0.2, 0.2, z=2.0))
    material = Material(base_colour=(0.3, 0.5, 0.7), roughness=1.0, sheen=0.0)
    layers = renderer.render(
        garment, material, K, lighting=Lighting(direction=(0.0, 0.0, -1.0))
    )
    photo = grey_photo(3.0)

    grainy = composite(photo, layers, None)
    clean = composite(photo, layers, None, grain=False)

    save_png(output_dir / "render_grain.png", grainy.picture)
    rows, cols = np.nonzero(layers.coverage == 1.0)
    interior = np.s_[rows.min() + 2 : rows.max() - 1, cols.min() + 2 : cols.max() - 1]
    assert high_pass_sigma(grainy.picture[interior][..., 1]) == pytest.approx(
        3.0, abs=0.8
    )
    assert high_pass_sigma(clean.picture[interior][..., 1]) < 0.5
    outside = layers.coverage == 0
    assert np.array_equal(grainy.picture[outside], photo[outside])
