"""Example photos for a shopper who has none at hand.

Nothing is copied into the repository: scikit-image's public-domain
``astronaut`` is taken from the installed package at run time, and the
project's own mannequin (``tryon.examples``) is rendered in a few shapes
and poses, once per data directory.
"""

from __future__ import annotations

import logging
from pathlib import Path

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


def _mannequins(folder: Path) -> list[Path]:
    """The project's mannequin in a few shapes and poses (``tryon.examples``)."""
    try:
        from tryon.examples import render_mannequin_photos
    except ImportError:
        logger.info("no mannequin renderer yet; only the astronaut example")
        return []
    try:
        return list(render_mannequin_photos(folder))
    except Exception:
        logger.warning("rendering the mannequin examples failed", exc_info=True)
        return sorted(folder.glob("mannequin_*.png"))


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
