"""The analyst's app (login): returns and fit over a period, with CSV export.

Charts are Gradio's own plots of pandas tables (no CDN). Figures that
include simulated traffic are labelled "synthetic".
"""

from __future__ import annotations

import logging
import math
from typing import Any

import gradio as gr
import pandas as pd

from tryon.settings import Settings
from ui import analyst_data as data
from ui.messages import guarded
from ui.services import Services

__all__ = ["build_analyst_app"]

logger = logging.getLogger(__name__)

SYNTHETIC_NOTE = (
    "**Synthetic data:** this period includes simulated traffic from "
    "`tryon simulate`; do not read it as real shoppers' behaviour."
)


def _percent(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{100 * value:.1f} %"


def _figures_markdown(figures: dict[str, float], synthetic: bool) -> str:
    lines = [
        "| try-ons | order lines | conversion | return rate |",
        "|---:|---:|---:|---:|",
        f"| {figures['try-ons']:.0f} | {figures['order lines']:.0f} | "
        f"{_percent(figures['conversion'])} | {_percent(figures['return rate'])} |",
    ]
    if synthetic:
        lines = [SYNTHETIC_NOTE, ""] + lines
    return "\n".join(lines)


def _export(services: Services, tables: data.Tables, period: data.Period) -> str:
    folder = services.settings.output_dir / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    since = period.since.isoformat() if period.since else "start"
    until = period.until.isoformat() if period.until else "now"
    path = folder / f"order-lines-{since}-{until}.csv"
    tables.lines.to_csv(path, index=False)
    return str(path)


def _refresh_handler(services: Services):
    @guarded
    def key_figures(since: str, until: str) -> tuple[Any, ...]:
        period = data.parse_period(since, until)
        tables = data.read_tables(services.store(), period)
        lines = tables.lines
        return (
            _figures_markdown(data.key_figures(tables), tables.synthetic),
            data.return_rate_by(lines, "garment_id"),
            data.return_rate_by(lines, "size"),
            data.returns_by_reason(lines),
            data.return_rate_by_fit_label(lines),
            data.score_band_return_rate(lines),
            data.with_and_without_tryon(lines),
            data.fit_label_against_reason(lines),
            _export(services, tables, period),
        )

    return key_figures


def _bar(x: str, y: str, title: str, **options: Any) -> gr.BarPlot:
    empty = pd.DataFrame({x: pd.Series(dtype=str), y: pd.Series(dtype=float)})
    if options.get("color"):
        empty[options["color"]] = pd.Series(dtype=str)
    options.setdefault("y_lim", [0, 1] if y == "return_rate" else [0, None])
    return gr.BarPlot(empty, x=x, y=y, title=title, height=280, **options)


def _charts() -> dict[str, gr.Component]:
    parts: dict[str, gr.Component] = {}
    with gr.Row():
        parts["by_garment"] = _bar(
            "garment_id", "return_rate", "Return rate by garment", elem_id="by-garment"
        )
        parts["by_size"] = _bar("size", "return_rate", "Return rate by size")
    with gr.Row():
        parts["by_reason"] = _bar("reason", "returns", "Returns by reason")
        parts["by_label"] = _bar(
            "fit_label", "return_rate", "Return rate by the try-on's fit label"
        )
    with gr.Row():
        parts["score_band"] = _bar(
            "score_band", "return_rate", "Return rate by fit-score band"
        )
        parts["with_tryon"] = _bar(
            "bought", "return_rate", "Return rate with and without try-on"
        )
    parts["label_reason"] = gr.Dataframe(
        label="Fit label of the try-on (rows) against what happened (columns)",
        interactive=False,
    )
    return parts


def build_analyst_app(settings: Settings, services: Services) -> gr.Blocks:
    """The analyst's Gradio app (mounted behind the analyst login).

    Args:
        settings: the installation's settings.
        services: the warm pieces of the system shared by the server.
    """
    with gr.Blocks(title="tryon: returns and fit") as app:
        gr.Markdown("# Returns and fit")
        with gr.Row():
            since = gr.Textbox(label="From (YYYY-MM-DD, empty: the beginning)")
            until = gr.Textbox(label="To (YYYY-MM-DD, empty: today)")
            show = gr.Button("Show", variant="primary", elem_id="show-button")
        figures = gr.Markdown("Loading…", elem_id="key-figures")
        charts = _charts()
        export = gr.File(label="Order lines of the period (CSV)", elem_id="csv-export")
        outputs = [figures, *charts.values(), export]
        handler = _refresh_handler(services)
        show.click(handler, [since, until], outputs, api_name="key_figures")
        app.load(handler, [since, until], outputs, api_name=False)
    return app
