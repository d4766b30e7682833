"""Example photos for a shopper who has none at hand.

Nothing is copied into the repository: scikit-image's public-domain
``astronaut`` is taken from the installed package at run time, and the
project's own mannequin is rendered when the body and render pieces are
part of the installation.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PIL import Image

from tryon.settings import Settings

__all__ = ["example_photos"]

logger = logging.getLogger(__name__)


def _astronaut(folder: Path) -> Path | None:
    path = folder / "astronaut.png"
    if path.exists():
        return path
    try:
        from skimage import data
    except ImportError:
        logger.info("scikit-image is absent; no astronaut example")
        return None
    Image.fromarray(data.astronaut()).save(path)
    return path


# The mannequin's example photos: body shape (measurements in cm, empty
# for the canonical body) and the turn about the vertical axis (degrees).
MANNEQUINS = {
    "mannequin_front": ({}, 0.0),
    "mannequin_tall_turned": (
        {"height": 185, "chest_girth": 110, "waist_girth": 100, "hip_girth": 108},
        20.0,
    ),
    "mannequin_short_turned": (
        {"height": 160, "chest_girth": 88, "waist_girth": 70, "hip_girth": 98},
        -20.0,
    ),
}
PHOTO_WIDTH, PHOTO_HEIGHT = 720, 960
CAMERA_DISTANCE_M = 2.6
SKIN_COLOUR = (0.82, 0.64, 0.52)
WALL_COLOUR = np.array([0.78, 0.76, 0.72])


def _to_camera(vertices: np.ndarray, turn_deg: float) -> np.ndarray:
    """Canonical body frame to the camera's, the body facing the camera.

    Args:
        vertices: (V, 3) metres, canonical frame (Y up, +Z front).
        turn_deg: turn of the body about its vertical axis.

    Returns:
        (V, 3) metres, camera frame (x right, y down, z forward).
    """
    angle = np.radians(turn_deg)
    cos, sin = np.cos(angle), np.sin(angle)
    x = cos * vertices[:, 0] + sin * vertices[:, 2]
    z = -sin * vertices[:, 0] + cos * vertices[:, 2]
    # Y up to y down, and +Z (the body's front) towards the camera.
    return np.stack([x, -vertices[:, 1], CAMERA_DISTANCE_M - z], axis=1)


def _photograph(renderer, body, turn_deg: float) -> np.ndarray:
    """(H, W, 3) uint8 picture of the body in front of a plain wall."""
    import render

    camera = _to_camera(np.asarray(body.vertices, dtype=np.float64), turn_deg)
    intrinsics = render.intrinsics_for_image(PHOTO_WIDTH, PHOTO_HEIGHT)
    layers = renderer.render(
        render.GarmentMesh(camera, np.asarray(body.faces)),
        render.Material(base_colour=SKIN_COLOUR),
        intrinsics.K,
    )
    alpha = layers.rgba[..., 3:4]  # (H, W, 1)
    colour = layers.rgba[..., :3] + (1.0 - alpha) * WALL_COLOUR
    return (np.clip(colour, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def _mannequins(folder: Path) -> list[Path]:
    """Renders of the project's mannequin in a few shapes and turns."""
    paths = [folder / f"{name}.png" for name in MANNEQUINS]
    if all(path.exists() for path in paths):
        return paths
    try:
        import render
        from tryon.body import build_body, canonical_body

        with render.Renderer(PHOTO_WIDTH, PHOTO_HEIGHT) as renderer:
            for path, (measurements, turn) in zip(
                paths, MANNEQUINS.values(), strict=True
            ):
                body = build_body(measurements) if measurements else canonical_body()
                Image.fromarray(_photograph(renderer, body, turn)).save(path)
    except Exception:
        logger.warning("rendering the mannequin examples failed", exc_info=True)
        return [path for path in paths if path.exists()]
    logger.info("rendered %d mannequin example photos", len(paths))
    return paths


def example_photos(settings: Settings) -> list[Path]:
    """Paths of the example photos, made on first use in the data directory.

    Args:
        settings: the installation's settings (``output_dir`` is used).

    Returns:
        PNG paths, the astronaut first; empty when none could be made.
    """
    folder = settings.output_dir / "examples"
    folder.mkdir(parents=True, exist_ok=True)
    photos = [p for p in [_astronaut(folder)] if p is not None]
    return photos + _mannequins(folder)
