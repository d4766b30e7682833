"""Compositing: mask, anti-aliased edges, the photo untouched elsewhere."""

from __future__ import annotations

import numpy as np
import pytest

from render import GarmentMesh, Material, RenderLayers, composite
from tests.render.conftest import SIZE, quad, save_png


def noisy_photo() -> np.ndarray:
    """(H, W, 3) uint8 seeded noise: any change of a pixel shows."""
    generator = np.random.default_rng(7)
    return generator.integers(0, 256, (SIZE[1], SIZE[0], 3), dtype=np.uint8)


@pytest.fixture(scope="module")
def slanted(renderer, K) -> RenderLayers:
    """A red triangle with slanted edges."""
    vertices = np.array([[-0.3, -0.2, 2.0], [0.25, -0.05, 2.0], [-0.1, 0.3, 2.0]])
    material = Material(base_colour=(0.9, 0.1, 0.1))
    return renderer.render(GarmentMesh(vertices, np.array([[0, 1, 2]])), material, K)


def test_the_mask_is_0_or_255_at_the_photo_size(slanted, output_dir):
    photo = noisy_photo()

    result = composite(photo, slanted, person_mask=None)

    save_png(output_dir / "render_composite_mask.png", result.garment_mask)

    assert result.picture.shape == photo.shape and result.picture.dtype == np.uint8
    assert result.garment_mask.shape == photo.shape[:2]
    assert result.garment_mask.dtype == np.uint8
    assert set(np.unique(result.garment_mask).tolist()) == {0, 255}
    assert np.array_equal(result.garment_mask == 255, slanted.coverage > 0.5)


def test_slanted_edges_are_blended(slanted, output_dir):
    photo = np.full((SIZE[1], SIZE[0], 3), 255, np.uint8)

    result = composite(photo, slanted, person_mask=None)

    save_png(output_dir / "render_composite_slanted.png", result.picture)
    partial = (slanted.coverage > 0) & (slanted.coverage < 1)
    assert partial.sum() > 50  # multisampled edge pixels
    edge_green = result.picture[partial, 1]
    inside_green = result.picture[slanted.coverage == 1, 1]
    # Between the garment's colour and the white photo.
    assert np.all(edge_green > inside_green.max())
    assert np.all(edge_green < 255)


def test_outside_the_garment_the_photo_is_unchanged_bit_for_bit(slanted):
    photo = noisy_photo()

    result = composite(photo, slanted, person_mask=None)

    outside = slanted.coverage == 0
    assert np.array_equal(result.picture[outside], photo[outside])
    assert not np.array_equal(result.picture[~outside], photo[~outside])


def test_a_body_depth_in_front_hides_the_garment(slanted):
    photo = noisy_photo()
    body_depth = np.zeros(SIZE[::-1], np.float32)
    body_depth[:, : SIZE[0] // 2] = 1.5  # a person's arm in front, left half

    result = composite(photo, slanted, None, body_depth=body_depth)

    left = np.s_[:, : SIZE[0] // 2]
    assert np.array_equal(result.picture[left], photo[left])
    assert np.all(result.garment_mask[left] == 0)
    assert np.any(result.garment_mask[:, SIZE[0] // 2 :] == 255)


def test_person_pixels_beside_the_garment_are_reported(renderer, K):
    layers = renderer.render(
        GarmentMesh(*quad(-0.1, 0.1, -0.1, 0.1, z=2.0)), Material(), K
    )
    covered = layers.coverage > 0.5
    rows, cols = np.nonzero(covered)
    # A person mask exactly the garment, then one wider by 4 columns a side.
    exact = covered.astype(np.float32)
    wider = np.zeros_like(exact)
    wider[rows.min() : rows.max() + 1, cols.min() - 4 : cols.max() + 5] = 1.0

    tight = composite(noisy_photo(), layers, exact).person_uncovered_ratio
    loose = composite(noisy_photo(), layers, wider).person_uncovered_ratio

    expected = 8 * (rows.max() - rows.min() + 1) / wider.sum()
    assert tight == 0.0
    assert loose == pytest.approx(expected)


def test_layers_of_another_size_are_refused(slanted):
    with pytest.raises(ValueError) as error:
        composite(np.zeros((10, 20, 3), np.uint8), slanted, None)

    assert (
        str(error.value) == "layers.rgba must have shape (H, W, 4), got (180, 240, 4)"
    )
