"""The web app: the shopper's, merchandiser's and analyst's Gradio apps."""

from ui.server import build_server

__all__ = ["build_server"]
