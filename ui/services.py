"""The pieces of the system the web app calls, built once and kept warm.

The apps never import the heavy packages at module level: each piece is
looked up when first used, so that a piece that has not landed (or fails
to import) leaves its feature in a plain "not available yet" state
instead of breaking the whole server.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from tryon.errors import TryOnError
from tryon.settings import Settings

__all__ = ["NotAvailable", "Services", "optional"]

logger = logging.getLogger(__name__)


# What the try-on pipeline calls; without one of them it cannot run.
PIPELINE_PIECES = (
    ("tryon.pipeline", "TryOnSession"),
    ("tryon.body", "BodyCollider"),
    ("tryon.body", "build_body"),
    ("tryon.body", "pose_body"),
    ("garments.drape", "drape"),
    ("garments.fit", "fit_report"),
    ("render", "Renderer"),
    ("render", "composite"),
)


class NotAvailable(TryOnError):
    """A feature whose code is not part of this installation yet."""

    user_error = True


def optional(module: str, name: str | None = None) -> Any | None:
    """``module.name`` (or the module), or None when it cannot be imported.

    Args:
        module: dotted module name, for example ``"tryon.pipeline"``.
        name: attribute to fetch from the module, or None for the module.
    """
    try:
        found = importlib.import_module(module)
    except ImportError as error:
        logger.debug("%s is not available: %s", module, error)
        return None
    if name is None:
        return found
    return getattr(found, name, None)


def require(module: str, name: str, feature: str) -> Any:
    """Like :func:`optional`, but raise :class:`NotAvailable` when absent.

    Raises:
        NotAvailable: the module or the name is missing.
    """
    found = optional(module, name)
    if found is None:
        raise NotAvailable(f"{feature} is not available yet; try again later")
    return found


class Services:
    """Warm, shared instances of the system's pieces, one per server.

    Each getter builds its piece on first use under a lock. The try-on
    session is safe to share between threads; the bare pose estimator is
    not, so callers hold :attr:`compute_lock` around its use.

    Args:
        settings: the installation's settings.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.compute_lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._built: dict[str, Any] = {}
        self._pipeline_incomplete = False
        # Helpers the apps attach (for example the recommendations).
        self.extra: dict[str, Any] = {}
        self._pipeline_checked = False

    def _get(self, key: str, build: Callable[[], Any]) -> Any:
        with self._build_lock:
            if key not in self._built:
                logger.info("starting %s", key)
                self._built[key] = build()
            return self._built[key]

    def pose_estimator(self) -> Any:
        """The photo-mode pose estimator (``pose.PoseEstimator``).

        Raises:
            NotAvailable: the pose package has not landed.
        """
        estimator = require("pose", "PoseEstimator", "pose estimation")
        return self._get("pose estimator", lambda: estimator(segmentation=True))

    def pose_stream_factory(self) -> Callable[[], Any]:
        """A factory of live pose trackers (``pose.PoseStream``), one per stream.

        Raises:
            NotAvailable: the pose package has not landed.
        """
        return require("pose", "PoseStream", "live pose tracking")

    def session(self) -> Any:
        """The try-on session (``tryon.pipeline.TryOnSession``).

        Raises:
            NotAvailable: the pipeline has not landed.
        """
        session = require("tryon.pipeline", "TryOnSession", "the try-on")
        catalog = self.catalog()
        return self._get(
            "try-on session", lambda: session(self.settings, catalog=catalog)
        )

    def has_pipeline(self) -> bool:
        """Whether the try-on pipeline and the pieces it calls are installed.

        Checked once per server; see :data:`PIPELINE_PIECES`.
        """
        if self._pipeline_incomplete:
            return False
        if self._pipeline_checked:
            return True
        missing = [f"{m}.{n}" for m, n in PIPELINE_PIECES if optional(m, n) is None]
        self._pipeline_checked = True
        if missing:
            logger.warning("the try-on is incomplete, missing %s", ", ".join(missing))
            self._pipeline_incomplete = True
        return not missing

    def mark_pipeline_incomplete(self) -> None:
        """Record that the pipeline failed to import a piece it needs.

        From then on the apps fall back to what pose estimation gives.
        """
        if not self._pipeline_incomplete:
            logger.warning("the try-on pipeline is incomplete; pose only from now")
        self._pipeline_incomplete = True

    def catalog(self) -> Any:
        """The garment catalog, with the bundled garments on a new directory.

        Raises:
            NotAvailable: the catalog has not landed.
        """
        catalog = require("tryon.catalog", "Catalog", "the garment catalog")

        def build() -> Any:
            built = catalog(self.settings)
            built.ensure_default_catalog()
            return built

        return self._get("catalog", build)

    def catalog_or_none(self) -> Any | None:
        """The catalog, or None when it is absent or fails to open (logged).

        For building pages: a broken catalog must not stop the server.
        """
        try:
            return self.catalog()
        except NotAvailable:
            return None
        except Exception:
            logger.exception("the garment catalog could not be opened")
            return None

    def store(self) -> Any:
        """The event store (``tryon.store.open_store``), migrated.

        Raises:
            NotAvailable: the store has not landed.
        """
        open_store = require("tryon.store", "open_store", "the order history")
        return self._get("store", lambda: open_store(self.settings))
