"""The shopper's app: a photo or the webcam, a garment, a size, the fit.

The work behind each control lives in :mod:`ui.shopper_actions`; this
module only lays the page out and wires events to those actions.
"""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from tryon.settings import Settings
from ui import shopper_actions as actions
from ui.examples import example_photos
from ui.recommendations import Recommendations
from ui.services import Services

__all__ = ["build_shopper_app"]

logger = logging.getLogger(__name__)

PHOTO_TYPES = [".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".bmp", ".tif"]

# Live mode: how often the browser sends a frame (seconds) and how long a
# stream may run before it stops by itself (seconds).
STREAM_EVERY_S = 0.1
STREAM_TIME_LIMIT_S = 120


def _input_column(settings: Settings) -> dict[str, gr.Component]:
    parts: dict[str, gr.Component] = {}
    with gr.Tab("Photo"):
        parts["photo"] = gr.File(
            label="Your photo (JPEG, PNG, WebP or a phone's HEIC)",
            file_types=PHOTO_TYPES,
            type="filepath",
            elem_id="photo-upload",
        )
        examples = [str(path) for path in example_photos(settings)]
        parts["example_paths"] = gr.State(examples)
        parts["examples"] = gr.Gallery(
            [(path, Path(path).stem.replace("_", " ")) for path in examples],
            label="No photo at hand? Click one of these",
            columns=3,
            height=300,
            allow_preview=False,
            elem_id="example-photos",
        )
    with gr.Tab("Webcam snapshot"):
        parts["snapshot"] = gr.Image(
            sources=["webcam"], type="numpy", label="Snapshot", elem_id="snapshot"
        )
    with gr.Tab("Live", elem_id="live-tab"):
        parts["live_in"] = gr.Image(
            sources=["webcam"], streaming=True, label="Webcam", elem_id="live-input"
        )
        parts["live_out"] = gr.Image(
            label="Live try-on", interactive=False, elem_id="live-output"
        )
    parts["height"] = gr.Number(
        label="Your height in cm (optional, makes the measurements exact)",
        value=None,
    )
    return parts


def _garment_column(services: Services) -> dict[str, gr.Component]:
    parts: dict[str, gr.Component] = {}
    filters = actions.filter_ranges(services)
    parts["category"] = gr.Dropdown(
        ["any", *filters.categories], value="any", label="Category"
    )
    parts["colour"] = gr.Dropdown(
        ["any", *filters.colours], value="any", label="Colour"
    )
    parts["max_price"] = gr.Slider(
        0, filters.max_price, value=filters.max_price, label="Highest price"
    )
    choices = actions.garment_choices(services, "any", "any", filters.max_price)
    default = actions.default_garment(services, choices)
    parts["garment"] = gr.Dropdown(
        choices,
        value=default,
        label="Garment",
        elem_id="garment-pick",
    )
    parts["size"] = gr.Radio(
        actions.size_choices(services, default, None),
        label="Size",
        elem_id="size-pick",
    )
    parts["try"] = gr.Button("Try it on", variant="primary", elem_id="try-button")
    parts["catalog_note"] = gr.Markdown(filters.note)
    return parts


def _result_column() -> dict[str, gr.Component]:
    parts: dict[str, gr.Component] = {}
    parts["view"] = gr.Radio(
        ["Try-on", "Fit map"], value="Try-on", label="Show", elem_id="view-toggle"
    )
    parts["picture"] = gr.Image(
        label="Result", interactive=False, elem_id="result-picture"
    )
    parts["report"] = gr.Markdown("Upload a photo to begin.", elem_id="fit-report")
    with gr.Row():
        parts["compare"] = gr.Button("Compare the sizes around the best one")
        parts["buy"] = gr.Button("Buy", variant="primary", elem_id="buy-button")
    parts["buy_note"] = gr.Markdown(elem_id="buy-note")
    parts["sizes"] = gr.Gallery(label="Sizes side by side", columns=3, height=320)
    parts["recommended"] = gr.Gallery(
        label="Recommended for you (click one to try it)", columns=4, height=240
    )
    return parts


def _orders_tab() -> dict[str, gr.Component]:
    parts: dict[str, gr.Component] = {}
    parts["refresh"] = gr.Button("Show my orders")
    parts["orders"] = gr.Dataframe(label="My orders", interactive=False)
    parts["order"] = gr.Dropdown([], label="Order to return")
    parts["reason"] = gr.Dropdown(
        list(actions.RETURN_REASONS), label="Reason", value=None
    )
    parts["text"] = gr.Textbox(label="Anything else (optional)", lines=2)
    parts["return"] = gr.Button("Return it")
    parts["return_note"] = gr.Markdown()
    return parts


def _try_on_io(
    ui: dict[str, gr.Component],
) -> tuple[list[gr.Component], list[gr.Component]]:
    """The inputs after the picture, and the outputs, of every try-on event."""
    common_inputs = [ui["height"], ui["garment"], ui["size"], ui["shopper"]]
    outputs = [
        ui["picture"],
        ui["report"],
        ui["size"],
        ui["last"],
        ui["view"],
        ui["recommended"],
        ui["rec_ids"],
    ]
    return common_inputs, outputs


def _wire_try_on(ui: dict[str, gr.Component], services: Services) -> None:
    common_inputs, outputs = _try_on_io(ui)
    photo_handler = actions.photo_handler(services)
    ui["photo"].upload(
        photo_handler,
        [ui["photo"], *common_inputs],
        outputs,
        api_name="try_on_photo",
        concurrency_limit=2,
    )
    ui["examples"].select(
        actions.pick_example,
        [ui["example_paths"]],
        [ui["photo"]],
        api_name=False,
    ).then(photo_handler, [ui["photo"], *common_inputs], outputs, api_name=False)
    ui["snapshot"].change(
        actions.snapshot_handler(services),
        [ui["snapshot"], *common_inputs],
        outputs,
        api_name="try_on_snapshot",
        concurrency_limit=2,
    )
    ui["try"].click(
        actions.retry_handler(services),
        [ui["last"], *common_inputs],
        outputs,
        api_name="try_on_again",
        concurrency_limit=2,
    )


def _wire_catalog(ui: dict[str, gr.Component], services: Services) -> None:
    common_inputs, outputs = _try_on_io(ui)
    filters = [ui["category"], ui["colour"], ui["max_price"]]
    on_filter = actions.filter_handler(services)
    for control in filters:
        control.change(on_filter, filters, [ui["garment"]], api_name=False)
    ui["garment"].change(
        actions.garment_changed_handler(services),
        [ui["garment"]],
        [ui["size"]],
        api_name=False,
    )
    ui["view"].change(
        actions.toggle_view, [ui["view"], ui["last"]], [ui["picture"]], api_name=False
    )
    ui["recommended"].select(
        actions.pick_recommended,
        [ui["rec_ids"]],
        [ui["garment"]],
        api_name=False,
    ).then(
        actions.retry_handler(services),
        [ui["last"], *common_inputs],
        outputs,
        api_name=False,
    )


def _wire_live(ui: dict[str, gr.Component], services: Services) -> None:
    ui["live_in"].stream(
        actions.live_handler(services),
        [ui["live_in"], ui["garment"], ui["size"], ui["live_state"]],
        [ui["live_out"], ui["live_state"]],
        stream_every=STREAM_EVERY_S,
        time_limit=STREAM_TIME_LIMIT_S,
        concurrency_limit=4,
        api_name="live_frame",
    )


def _wire_orders(ui: dict[str, gr.Component], services: Services) -> None:
    ui["compare"].click(
        actions.compare_handler(services),
        [ui["last"], ui["height"], ui["garment"], ui["shopper"]],
        [ui["sizes"]],
        api_name="compare_sizes",
    )
    ui["buy"].click(
        actions.buy_handler(services),
        [ui["last"], ui["shopper"]],
        [ui["buy_note"]],
        api_name="buy",
    )
    ui["refresh"].click(
        actions.orders_handler(services),
        [ui["shopper"]],
        [ui["orders"], ui["order"]],
        api_name="my_orders",
    )
    ui["return"].click(
        actions.return_handler(services),
        [ui["order"], ui["reason"], ui["text"], ui["shopper"]],
        [ui["return_note"]],
        api_name="return_order",
    )


def build_shopper_app(settings: Settings, services: Services) -> gr.Blocks:
    """The shopper's Gradio app (open, no login).

    Args:
        settings: the installation's settings.
        services: the warm pieces of the system shared by the server.
    """
    if "recommendations" not in services.extra:
        recommendations = Recommendations(services)
        recommendations.warm_up()
        services.extra["recommendations"] = recommendations
    with gr.Blocks(title="tryon: fitting room") as app:
        ui: dict[str, gr.Component] = {}
        ui["shopper"] = gr.BrowserState("", storage_key="tryon-shopper-id")
        ui["last"] = gr.State(None)
        ui["live_state"] = gr.State(None)
        ui["rec_ids"] = gr.State([])
        gr.Markdown("# Fitting room\n" + actions.availability_note(services))
        with gr.Tab("Try on"):
            with gr.Row():
                with gr.Column(scale=1):
                    ui.update(_input_column(settings))
                with gr.Column(scale=1):
                    ui.update(_garment_column(services))
                with gr.Column(scale=2):
                    ui.update(_result_column())
        with gr.Tab("My orders"):
            ui.update(_orders_tab())
        app.load(actions.ensure_shopper_id, [ui["shopper"]], [ui["shopper"]])
        _wire_try_on(ui, services)
        _wire_catalog(ui, services)
        _wire_live(ui, services)
        _wire_orders(ui, services)
    return app
