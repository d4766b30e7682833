"""The web app: the shopper's, merchandiser's and analyst's Gradio apps.

Run it with ``tryon serve [--host H] [--port P]``: one FastAPI server
with the shopper's app at ``/`` (open), the merchandiser's at
``/merchant/`` and the analyst's at ``/analyst/`` (each with its own
login; see ``tryon.auth`` for the accounts). :func:`build_server` makes
the same application for tests or another ASGI host.
"""

from ui.server import build_server

__all__ = ["build_server"]
