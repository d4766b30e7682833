"""The analyst's app (login): returns and fit over a period, with CSV export.

Charts are Gradio's own plots of pandas tables (no CDN). Figures that
include simulated traffic are labelled "synthetic".
"""

from __future__ import annotations

import logging
import math
import uuid
from datetime import date
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
    "**Synthetic data:** the store holds simulated traffic from "
    "`tryon simulate`; do not read these figures as real shoppers' behaviour."
)
FIT_ORDER = ["too tight", "snug", "good", "relaxed", "too loose", "no try-on"]


def _percent(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{100 * value:.1f} %"


def _figures_markdown(
    figures: dict[str, float], synthetic: bool, since: date | None
) -> str:
    start = f"since {since.isoformat()}" if since else "all time"
    lines = [
        f"Counted {start} (orders by order day, try-ons by try-on day).",
        "",
        "| try-ons | order lines | conversion | return rate |",
        "|---:|---:|---:|---:|",
        f"| {figures['try-ons']:.0f} | {figures['order lines']:.0f} | "
        f"{_percent(figures['conversion'])} | {_percent(figures['return rate'])} |",
    ]
    if synthetic:
        lines = [SYNTHETIC_NOTE, ""] + lines
    return "\n".join(lines)


def _export(services: Services, report: data.Report, since: date | None) -> list[str]:
    """The period's tables as CSV files; their paths."""
    folder = services.settings.output_dir / "exports" / uuid.uuid4().hex[:8]
    folder.mkdir(parents=True, exist_ok=True)
    start = since.isoformat() if since else "all"
    paths = []
    for name, table in report.tables.items():
        path = folder / f"{name}-since-{start}.csv"
        table.to_csv(path, index=False)
        paths.append(str(path))
    return paths


def _refresh_handler(services: Services):
    @guarded
    def key_figures(period: str, since_text: str) -> tuple[Any, ...]:
        since = data.first_day(period, since_text)
        report = data.build_report(services.store(), since)
        tables = report.tables
        return (
            _figures_markdown(report.figures, report.synthetic, since),
            tables["return_rate_by_garment"],
            tables["return_rate_by_size"],
            tables["returns_by_reason"],
            tables["fit_label_vs_reason"],
            tables["returns_by_fit_score"],
            tables["returns_by_tryon"],
            tables["fit_label_vs_reason"],
            _export(services, report, since),
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
            "fit_label",
            "return_rate",
            "Return rate by the try-on's fit label",
            sort=FIT_ORDER,
        )
    with gr.Row():
        parts["score_band"] = _bar(
            "fit_score_band", "return_rate", "Return rate by fit-score band"
        )
        parts["with_tryon"] = _bar(
            "tryon", "return_rate", "Return rate with and without try-on"
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
            period = gr.Dropdown(list(data.PERIODS), value="all time", label="Period")
            since = gr.Textbox(label="or from this day on (YYYY-MM-DD)")
            show = gr.Button("Show", variant="primary", elem_id="show-button")
        figures = gr.Markdown("Loading…", elem_id="key-figures")
        charts = _charts()
        export = gr.File(
            label="The period's tables (CSV)",
            file_count="multiple",
            elem_id="csv-export",
        )
        outputs = [figures, *charts.values(), export]
        handler = _refresh_handler(services)
        show.click(handler, [period, since], outputs, api_name="key_figures")
        app.load(handler, [period, since], outputs, api_name=False)
    return app
