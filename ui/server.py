"""One server for the three apps: shopper at ``/``, merchandiser at
``/merchant/``, analyst at ``/analyst/``.

Each app is its own Gradio Blocks mounted on one FastAPI application.
The merchandiser's and analyst's apps carry a login; Gradio guards their
pages and every API route (``/gradio_api/...``: queue, call, run, upload,
file, info, config) with the same login, so a shopper cannot reach their
functions through the API either.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import gradio as gr
from fastapi import FastAPI

from tryon.auth import ROLES, authenticator, load_accounts
from tryon.settings import Settings
from ui.analyst import build_analyst_app
from ui.merchant import build_merchant_app
from ui.services import Services
from ui.shopper import build_shopper_app

__all__ = ["build_server"]

logger = logging.getLogger(__name__)

MAX_UPLOAD = "200mb"


@contextmanager
def _gradio_folder(folder: Path) -> Iterator[None]:
    """Make Gradio components and apps created inside keep files in ``folder``.

    Gradio reads ``GRADIO_TEMP_DIR`` when a component or an app is made;
    giving each app its own folder lets the others refuse its files.
    """
    previous = os.environ.get("GRADIO_TEMP_DIR")
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("GRADIO_TEMP_DIR", None)
        else:
            os.environ["GRADIO_TEMP_DIR"] = previous


def _mount(
    server: FastAPI,
    app: gr.Blocks,
    path: str,
    role: str | None,
    accounts,
    blocked: list[str],
) -> None:
    auth = None if role is None else authenticator(accounts, role)
    app.queue(default_concurrency_limit=2)
    gr.mount_gradio_app(
        server,
        app,
        path=path,
        auth=auth,
        auth_message=None if role is None else f"Log in as a {role}.",
        show_error=True,
        max_file_size=MAX_UPLOAD,
        ssr_mode=False,
        footer_links=[],
        mcp_server=False,
        run_history=False,
        blocked_paths=blocked,
    )
    logger.info("mounted the %s app at %s", role or "shopper", path)


def build_server(settings: Settings, services: Services | None = None) -> FastAPI:
    """The FastAPI application serving the three apps.

    Args:
        settings: the installation's settings.
        services: shared warm pieces; built from ``settings`` by default.

    Raises:
        InputError: the configured accounts are malformed.
    """
    services = services or Services(settings)
    accounts = load_accounts(settings)
    server = FastAPI(title="tryon", docs_url=None, redoc_url=None, openapi_url=None)
    # Each role's files (uploads, previews, exports) in a folder of its own,
    # refused by the other apps' file routes.
    folders = {role: Path(tempfile.mkdtemp(prefix=f"tryon-{role}-")) for role in ROLES}
    builders = {"merchant": build_merchant_app, "analyst": build_analyst_app}
    # The sub-apps first: a mount at "/" would swallow their paths.
    for role, build in builders.items():
        others = [str(folders[other]) for other in ROLES if other != role]
        with _gradio_folder(folders[role]):
            app = build(settings, services)
            _mount(server, app, f"/{role}", role, accounts, others)
    shopper = build_shopper_app(settings, services)
    _mount(server, shopper, "", None, accounts, [str(f) for f in folders.values()])
    server.state.services = services
    return server
