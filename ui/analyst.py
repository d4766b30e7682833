"""The analyst's app (placeholder until written)."""

from __future__ import annotations

import gradio as gr

from tryon.settings import Settings
from ui.services import Services


def build_analyst_app(settings: Settings, services: Services) -> gr.Blocks:
    with gr.Blocks(title="tryon: returns and fit") as app:
        gr.Markdown("# Returns and fit")
    return app
