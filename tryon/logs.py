"""Logging set-up, called once by each entry point (command line, server)."""

from __future__ import annotations

import logging

__all__ = ["configure_logging"]

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str = "INFO") -> None:
    """Send log records of all tryon packages to stderr at ``level``.

    Noisy third-party loggers are held at WARNING.
    """
    logging.basicConfig(level=level, format=_FORMAT)
    for noisy in (
        "absl",
        "alembic",
        "PIL",
        "matplotlib",
        "httpx",
        "urllib3",
        "trimesh",
        "OpenGL",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
