"""Recommended items for a shopper, with thumbnails, for the shopper's page.

Training the recommendation model and rendering the catalog's thumbnails
take seconds to minutes, so :func:`warm_up` does both in a background
thread when the server starts; until they are ready the page shows no
recommendations rather than making a shopper wait.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from ui.services import Services, optional

__all__ = ["Recommendations"]

logger = logging.getLogger(__name__)

# How many items the page shows.
SHOWN = 6


class Recommendations:
    """Recommendations and thumbnails, prepared in the background.

    Args:
        services: the server's shared pieces.
    """

    def __init__(self, services: Services) -> None:
        self.services = services
        self._recommender: Any = None
        self._ready = threading.Event()
        self._lock = threading.Lock()

    def thumbnail(self, garment: Any) -> Path:
        """Where the garment's thumbnail (PNG on the mannequin) is kept."""
        folder = self.services.settings.output_dir / "thumbnails"
        return folder / f"{garment.id}-{garment.mesh_key[:12]}.png"

    def _render_thumbnails(self) -> None:
        catalog = self.services.catalog_or_none()
        if catalog is None:
            return
        for garment in catalog.list():
            path = self.thumbnail(garment)
            if path.exists():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                catalog.preview(garment.id, None, path)
            except Exception:
                logger.warning("no thumbnail for %s", garment.id, exc_info=True)

    def _train(self) -> None:
        recommender = optional("tryon.recommend", "Recommender")
        if recommender is None:
            logger.info("recommendations are not available yet")
            return
        built = recommender(self.services.store(), self.services.settings.models_dir)
        try:
            built.model()
        except Exception as error:
            # A new shop has no purchases to learn from: no recommendations.
            logger.info("no recommendation model: %s", error)
            return
        self._recommender = built

    def warm_up(self) -> None:
        """Train (or load) the model and render thumbnails, in a thread."""

        def work() -> None:
            try:
                self._render_thumbnails()
                self._train()
            except Exception:
                logger.exception("preparing recommendations failed")
            finally:
                self._ready.set()

        threading.Thread(target=work, name="recommendations", daemon=True).start()

    def for_shopper(self, shopper_id: str) -> tuple[list[tuple[str, str]], list[str]]:
        """Gallery items (thumbnail path, caption) and their garment ids.

        Empty while the model is being prepared or when there is none.
        """
        if not shopper_id or self._recommender is None:
            return [], []
        try:
            with self._lock:
                items = self._recommender.recommend(shopper_id, k=SHOWN)
        except Exception:
            logger.warning("recommendations failed for %s", shopper_id, exc_info=True)
            return [], []
        catalog = self.services.catalog()
        gallery, ids = [], []
        for item in items:
            path = self.thumbnail(catalog.get(item.garment_id))
            if path.exists():
                size = f", size {item.size}" if item.size else ""
                gallery.append((str(path), f"{item.name}{size}: {item.explanation}"))
                ids.append(item.garment_id)
        return gallery, ids
