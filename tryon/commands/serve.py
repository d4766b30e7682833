"""``tryon serve``: the web app (shopper, merchandiser, analyst) on one port."""

from __future__ import annotations

import argparse
import logging
import os

from tryon.settings import Settings

logger = logging.getLogger(__name__)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the three apps until interrupted; returns the exit status."""
    os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import uvicorn

    from ui import build_server

    server = build_server(settings)
    logger.info(
        "tryon web app on http://%s:%d/ (merchant: /merchant/, analyst: /analyst/)",
        args.host,
        args.port,
    )
    uvicorn.run(server, host=args.host, port=args.port, log_level="warning")
    return 0
