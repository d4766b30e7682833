"""The merchandiser's app (placeholder until written)."""

from __future__ import annotations

import gradio as gr

from tryon.settings import Settings
from ui.services import Services


def build_merchant_app(settings: Settings, services: Services) -> gr.Blocks:
    with gr.Blocks(title="tryon: catalog") as app:
        gr.Markdown("# Catalog")
    return app
