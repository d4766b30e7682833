"""What the shopper's controls do: try-on, live mode, catalog, orders.

Each ``*_handler(services)`` returns the event handler Gradio calls, with
the shared :class:`ui.services.Services` bound in. Handlers never show a
traceback: they are wrapped by :func:`ui.messages.guarded`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr
import numpy as np

from tryon.errors import InputError
from ui.messages import guarded
from ui.orders import ORDER_COLUMNS, orders_of
from ui.services import NotAvailable, Services, optional
from ui.words import measurements_markdown, report_markdown

__all__ = [
    "RETURN_REASONS",
    "Filters",
    "availability_note",
    "ensure_shopper_id",
    "filter_ranges",
    "garment_choices",
    "size_choices",
]

logger = logging.getLogger(__name__)

RETURN_REASONS: tuple[str, ...] = optional("tryon.store.vocab", "RETURN_REASONS") or (
    "too small",
    "too large",
    "not as pictured",
    "colour",
    "quality",
    "changed mind",
    "other",
)

POSE_ONLY_NOTE = (
    "_The garment try-on is not available yet; here is what we measured "
    "from your photo._"
)

# --------------------------------------------------------------------------
# The catalog: filters, garments, sizes


@dataclass(frozen=True)
class Filters:
    """What the catalog filters offer.

    Attributes:
        categories: categories present in the catalog.
        colours: colours (#rrggbb) present in the catalog.
        max_price: the highest price in the catalog.
        note: a line for the page when the catalog is not available.
    """

    categories: tuple[str, ...]
    colours: tuple[str, ...]
    max_price: float
    note: str = ""


def _garments(services: Services) -> list[Any]:
    catalog = services.catalog_or_none()
    return [] if catalog is None else list(catalog.list())


def filter_ranges(services: Services) -> Filters:
    """The categories, colours and price range of the catalog."""
    garments = _garments(services)
    if not garments:
        return Filters((), (), 100.0, "_The garment catalog is not available yet._")
    return Filters(
        categories=tuple(sorted({g.category for g in garments})),
        colours=tuple(sorted({g.colour for g in garments})),
        max_price=float(max(float(g.price or 0) for g in garments)) or 100.0,
    )


def garment_choices(
    services: Services, category: str, colour: str, max_price: float
) -> list[tuple[str, str]]:
    """(label, id) pairs of the garments that pass the filters."""
    chosen = []
    for garment in _garments(services):
        if category not in ("any", None) and garment.category != category:
            continue
        if colour not in ("any", None) and garment.colour != colour:
            continue
        if max_price is not None and float(garment.price or 0) > float(max_price):
            continue
        chosen.append((f"{garment.name} ({garment.price:.2f})", garment.id))
    return chosen


def default_garment(services: Services, choices: list[tuple[str, str]]) -> str | None:
    """The garment picked when the page opens: the first top, if any."""
    catalog = services.catalog_or_none()
    if catalog is None or not choices:
        return None
    tops = {g.id for g in catalog.list() if g.category == "top"}
    return next((i for _, i in choices if i in tops), choices[0][1])


def size_choices(
    services: Services, garment_id: str | None, recommended: str | None
) -> list[tuple[str, str]]:
    """(label, size) pairs; the recommended size's label says so."""
    if not garment_id:
        return []
    try:
        sizes = services.catalog().get(garment_id).sizes
    except Exception:
        logger.debug("no sizes for %s", garment_id, exc_info=True)
        return []
    return [
        (f"{size} (recommended)" if size == recommended else size, size)
        for size in sizes
    ]


def filter_handler(services: Services) -> Callable[..., Any]:
    """Catalog filters changed: the garments that pass them."""

    @guarded
    def on_filter(category: str, colour: str, max_price: float) -> Any:
        choices = garment_choices(services, category, colour, max_price)
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    return on_filter


def garment_changed_handler(services: Services) -> Callable[..., Any]:
    """Another garment picked: its sizes, none chosen yet."""

    @guarded
    def on_garment(garment_id: str | None) -> Any:
        return gr.update(choices=size_choices(services, garment_id, None), value=None)

    return on_garment


def availability_note(services: Services) -> str:
    """A line that says which features are not part of the installation yet."""
    missing = []
    if not services.has_pipeline():
        missing.append("the garment try-on (we show your landmarks and measurements)")
    if services.catalog_or_none() is None:
        missing.append("the catalog")
    if not missing:
        return ""
    return "_Not available yet: " + "; ".join(missing) + "._"


def ensure_shopper_id(current: str | None) -> str:
    """The browser's anonymous shopper id, made on its first visit."""
    return current or f"web-{uuid.uuid4().hex[:16]}"


# --------------------------------------------------------------------------
# Try-on (photo, snapshot, retry) and the pose-only fallback


def _load(source: Any) -> Any:
    load_image = optional("pose", "load_image")
    if load_image is None:
        raise NotAvailable("reading photos is not available yet; try again later")
    return load_image(source)


def _pose_only(
    services: Services, rgb: np.ndarray, height_cm: float | None
) -> tuple[np.ndarray, str]:
    """Landmarks drawn on the photo, and the measurements in a table."""
    import pose

    estimator = services.pose_estimator()
    with services.compute_lock:
        result = estimator.estimate(rgb, height_cm=height_cm)
    picture = pose.draw_landmarks(rgb, result)
    table = measurements_markdown(result.measurements.values_cm, POSE_ONLY_NOTE)
    return picture, table


def _size_update(services: Services, report: dict[str, Any]) -> Any:
    garment = report.get("garment") or {}
    recommended = (report.get("fit") or {}).get("recommended_size")
    choices = size_choices(services, garment.get("id"), recommended)
    return gr.update(choices=choices, value=garment.get("size"))


def _height(value: float | None) -> float | None:
    if value is None or value == 0:
        return None
    if not 100 <= float(value) <= 230:
        raise InputError(
            f"a height of {value:g} cm is out of range; give it in centimetres "
            "between 100 and 230, or leave it empty"
        )
    return float(value)


def _run_pose_only(
    services: Services,
    source: Any,
    kind: str,
    height_cm: float | None,
    progress: gr.Progress,
) -> tuple[Any, ...]:
    """Landmarks and measurements, while the garment try-on is missing."""
    progress(0.1, desc="Reading your photo")
    rgb = _load(source).rgb
    progress(0.4, desc="Finding you in the photo")
    picture, text = _pose_only(services, rgb, height_cm)
    last = {"source": source, "kind": kind, "picture": picture, "fit_map": None}
    return picture, text, gr.update(), last, "Try-on", gr.update(value=[]), []


def _run(
    services: Services,
    source: Any,
    kind: str,
    height: float | None,
    garment_id: str | None,
    size: str | None,
    shopper: str,
    progress: gr.Progress,
) -> tuple[Any, ...]:
    """One try-on (or, without the pipeline, one pose estimate)."""
    height_cm = _height(height)
    if not services.has_pipeline():
        return _run_pose_only(services, source, kind, height_cm, progress)
    if not garment_id:
        raise InputError("pick a garment first, then try it on")
    if size and size not in services.catalog().get(garment_id).sizes:
        size = None  # a size of the garment picked before
    progress(0.2, desc="Fitting the garment to you")
    try:
        # The session reads the photo itself, keeping its EXIF focal length.
        result = services.session().try_on(
            source,
            garment_id,
            size=size or None,
            height_cm=height_cm,
            source=kind,
            shopper_id=shopper or None,
        )
    except ImportError:
        # A piece the pipeline needs has not landed: show what pose gives.
        logger.warning("the try-on failed to import a piece", exc_info=True)
        services.mark_pipeline_incomplete()
        return _run_pose_only(services, source, kind, height_cm, progress)
    progress(0.9, desc="Finding items for you")
    last = {
        "source": source,
        "kind": kind,
        "picture": result.picture,
        "fit_map": result.fit_map,
        "report": result.report,
        "garment_id": garment_id,
        "size": result.report["garment"]["size"],
    }
    gallery, ids = _recommendations(services, shopper)
    return (
        result.picture,
        report_markdown(result.report),
        _size_update(services, result.report),
        last,
        "Try-on",
        gallery,
        ids,
    )


def photo_handler(services: Services) -> Callable[..., Any]:
    """A photo uploaded (path of the file): try the garment on."""

    @guarded
    def try_on_photo(
        photo: str | None,
        height: float | None,
        garment_id: str | None,
        size: str | None,
        shopper: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        if not photo:
            raise InputError("no photo arrived; upload a JPEG, PNG, WebP or HEIC")
        return _run(
            services, photo, "photo", height, garment_id, size, shopper, progress
        )

    return try_on_photo


def snapshot_handler(services: Services) -> Callable[..., Any]:
    """A webcam snapshot taken ((H, W, 3) uint8): try it on."""

    @guarded
    def try_on_snapshot(
        frame: np.ndarray | None,
        height: float | None,
        garment_id: str | None,
        size: str | None,
        shopper: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        if frame is None:
            return (gr.update(),) * 7
        rgb = np.ascontiguousarray(frame[..., :3])
        return _run(
            services, rgb, "webcam", height, garment_id, size, shopper, progress
        )

    return try_on_snapshot


def retry_handler(services: Services) -> Callable[..., Any]:
    """ "Try it on" pressed: the last photo with the current choices."""

    @guarded
    def try_on_again(
        last: dict[str, Any] | None,
        height: float | None,
        garment_id: str | None,
        size: str | None,
        shopper: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        if not last:
            raise InputError("upload a photo or take a snapshot first")
        return _run(
            services,
            last["source"],
            last["kind"],
            height,
            garment_id,
            size,
            shopper,
            progress,
        )

    return try_on_again


def toggle_view(view: str, last: dict[str, Any] | None) -> Any:
    """Show the try-on picture or its fit map."""
    if not last:
        return gr.update()
    if view == "Fit map":
        if last.get("fit_map") is None:
            gr.Warning("the fit map is not available yet for this picture")
            return gr.update()
        return last["fit_map"]
    return last.get("picture")


# --------------------------------------------------------------------------
# Live mode


def _live_pose(
    services: Services, rgb: np.ndarray, state: dict[str, Any] | None
) -> tuple[np.ndarray, dict[str, Any]]:
    import pose

    state = state or {"stream": services.pose_stream_factory()(), "t0": time.time()}
    result = state["stream"].process(rgb, time.time() - state["t0"])
    if result is None:
        return rgb, state
    return pose.draw_landmarks(rgb, result), state


def _live_try_on(
    services: Services, rgb: np.ndarray, garment_id: str, size: str | None, state: Any
) -> tuple[np.ndarray, Any]:
    """One live frame through the try-on, or pose alone if a piece is missing."""
    state = None if isinstance(state, dict) else state
    if not size and state is not None and state.garment_id == garment_id:
        # The session settled on the recommended size at the first frame;
        # asking for "recommended" again would start it over.
        size = state.size
    try:
        result, state = services.session().webcam_frame(
            rgb, garment_id, size or None, state
        )
    except ImportError:
        logger.warning("the live try-on failed to import a piece", exc_info=True)
        services.mark_pipeline_incomplete()
        return _live_pose(services, rgb, None)
    return (rgb if result is None else result.picture), state


def live_handler(services: Services) -> Callable[..., Any]:
    """One streamed webcam frame: the live try-on (or pose alone)."""

    def live_frame(
        frame: np.ndarray | None,
        garment_id: str | None,
        size: str | None,
        state: Any,
    ) -> tuple[Any, Any]:
        if frame is None:
            return gr.update(), state
        rgb = np.ascontiguousarray(frame[..., :3])
        try:
            if services.has_pipeline() and garment_id:
                return _live_try_on(services, rgb, garment_id, size, state)
            return _live_pose(services, rgb, state if isinstance(state, dict) else None)
        except Exception as error:
            # A frame that fails (nobody in view) shows the camera as it is.
            logger.debug("live frame failed: %s", error)
            return rgb, state

    return live_frame


# --------------------------------------------------------------------------
# Comparing sizes, recommendations, buying and returning


def _recommendations(services: Services, shopper: str) -> tuple[Any, list[str]]:
    """Gallery items and garment ids recommended for this shopper."""
    recommendations = services.extra.get("recommendations")
    if recommendations is None:
        return gr.update(value=[]), []
    gallery, ids = recommendations.for_shopper(shopper)
    return (gallery or gr.update(value=[])), ids


def pick_example(paths: list[str], event: gr.SelectData) -> Any:
    """Put the clicked example photo in the photo box."""
    if event.index is None or not 0 <= event.index < len(paths):
        return gr.update()
    return paths[event.index]


def pick_recommended(ids: list[str], event: gr.SelectData) -> Any:
    """Select the clicked recommended garment in the garment picker."""
    if not ids or event.index is None or event.index >= len(ids):
        return gr.update()
    return gr.update(value=ids[event.index])


def neighbour_sizes(sizes: list[str], centre: str | None) -> list[str]:
    """The size ``centre`` with the sizes either side of it (three at most).

    Without a centre among ``sizes``, the middle size is the centre.
    """
    index = sizes.index(centre) if centre in sizes else len(sizes) // 2
    return sizes[max(0, index - 1) : index + 2]


def _centre_size(last: dict[str, Any]) -> str | None:
    report = last.get("report") or {}
    recommended = (report.get("fit") or {}).get("recommended_size")
    return recommended or last.get("size")


def compare_handler(services: Services) -> Callable[..., Any]:
    """The last photo in the best size and its neighbours."""

    @guarded
    def compare_sizes(
        last: dict[str, Any] | None,
        height: float | None,
        garment_id: str | None,
        shopper: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> list[tuple[Any, str]]:
        if not last:
            raise InputError("try a garment on first, then compare its sizes")
        if not garment_id:
            raise InputError("pick a garment first")
        if not services.has_pipeline():
            raise NotAvailable("comparing sizes is not available yet; try later")
        session = services.session()
        height_cm = _height(height)
        sizes = neighbour_sizes(
            list(services.catalog().get(garment_id).sizes), _centre_size(last)
        )
        pictures = []
        for index, size in enumerate(sizes):
            progress(index / len(sizes), desc=f"Size {size}")
            result = session.try_on(
                last["source"],
                garment_id,
                size=size,
                height_cm=height_cm,
                source=last["kind"],
                shopper_id=None,
            )
            score = (result.report.get("fit") or {}).get("score")
            caption = size if score is None else f"{size}: fit {100 * score:.0f}/100"
            pictures.append((result.picture, caption))
        return pictures

    return compare_sizes


def _price(services: Services, garment_id: str) -> float | None:
    try:
        return float(services.catalog().get(garment_id).price)
    except Exception:
        return None


def buy_handler(services: Services) -> Callable[..., Any]:
    """Order the garment of the last try-on, once per try-on."""

    @guarded
    def buy(last: dict[str, Any] | None, shopper: str) -> str:
        if not last or not last.get("garment_id"):
            raise InputError("try a garment on first, then buy it")
        if not shopper:
            raise InputError("your browser sent no shopper id; reload the page")
        garment_id, size = last["garment_id"], last["size"]
        line = {
            "garment_id": garment_id,
            "size": size,
            "quantity": 1,
            "unit_price": _price(services, garment_id),
        }
        # One order per try-on result, however often the button is pressed.
        key = last.setdefault("order_key", uuid.uuid4().hex)
        order = services.store().record_order(shopper, [line], key)
        return f"Bought {garment_id} in size {size}: order {order.id}."

    return buy


def orders_handler(services: Services) -> Callable[..., Any]:
    """The shopper's order lines, and those that can be returned."""

    @guarded
    def my_orders(shopper: str) -> tuple[Any, Any]:
        import pandas as pd

        rows = orders_of(services.store(), shopper) if shopper else []
        choices = [
            (f"order {r['order']}: {r['garment']} ({r['size']})", str(r["line"]))
            for r in rows
            if not r["returned"]
        ]
        table = pd.DataFrame(rows, columns=list(ORDER_COLUMNS))
        return table, gr.update(choices=choices, value=None)

    return my_orders


def return_handler(services: Services) -> Callable[..., Any]:
    """Return one of the shopper's order lines with a reason."""

    @guarded
    def return_order(
        line: str | None, reason: str | None, text: str, shopper: str
    ) -> str:
        if not line:
            raise InputError("pick the order to return, then press Return it")
        if reason not in RETURN_REASONS:
            raise InputError("pick a reason for the return, then press Return it")
        mine = {str(r["line"]) for r in orders_of(services.store(), shopper)}
        if line not in mine:
            raise InputError("that order is not yours; pick one of your orders")
        services.store().record_return(
            int(line), reason, f"{shopper}:{line}", note=text or ""
        )
        return f"Return recorded ({reason}). Reload your orders to see it."

    return return_order
