"""The merchandiser's app (login): import garments, preview them, edit them.

A merchandiser uploads one or several mesh files with optional metadata,
reads what the importer understood, looks at each garment on the
mannequin in every size (a GLB in ``gr.Model3D``), and edits or removes
garments.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

import gradio as gr

from tryon.errors import InputError
from tryon.settings import Settings
from ui.messages import guarded
from ui.services import NotAvailable, Services, optional

__all__ = ["build_merchant_app", "import_overrides", "report_as_dict"]

logger = logging.getLogger(__name__)

MESH_TYPES = [".obj", ".glb", ".gltf", ".ply", ".stl", ".off", ".zip", ".bz2"]
CATEGORIES = ["top", "bottom", "dress", "outerwear"]
FABRICS = ["jersey", "woven_cotton", "denim", "silk", "wool"]
DETECT = "detect"
LIST_COLUMNS = ["id", "name", "category", "fabric", "colour", "price", "sizes"]


def _split(text: str | None) -> list[str] | None:
    items = [item.strip() for item in (text or "").split(",") if item.strip()]
    return items or None


def _price(value: float | str | None) -> float | None:
    """A price from a number or a text box; None when left empty.

    Raises:
        InputError: the text is not a number.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        raise InputError(
            f"price {value!r} is not a number; write it like 29.90"
        ) from None


def import_overrides(
    name: str,
    category: str,
    fabric: str,
    units: str,
    up: str,
    colour: str,
    price: float | str | None,
    sizes: str,
    tags: str,
) -> dict[str, Any]:
    """The import options a merchandiser gave; what is left out is detected.

    Raises:
        InputError: the colour is not ``#rrggbb`` or the price is negative.
    """
    overrides: dict[str, Any] = {}
    detectable = {"category": category, "fabric": fabric, "units": units, "up": up}
    for key, value in detectable.items():
        if value and value != DETECT:
            overrides[key] = value
    if name and name.strip():
        overrides["name"] = name.strip()
    if colour and colour.strip():
        colour = colour.strip().lower()
        if len(colour) != 7 or colour[0] != "#":
            raise InputError(f"colour {colour!r} is not #rrggbb; write it like #1f6feb")
        overrides["colour"] = colour
    price = _price(price)
    if price is not None:
        if price < 0:
            raise InputError(f"price {price:g} is negative; give a price of 0 or more")
        overrides["price"] = float(price)
    for key, value in (("sizes", _split(sizes)), ("tags", _split(tags))):
        if value:
            overrides[key] = value
    return overrides


def report_as_dict(report: Any) -> dict[str, Any]:
    """The importer's report as JSON-able data, whatever its type."""
    if isinstance(report, dict):
        return report
    for method in ("as_dict", "to_dict"):
        if hasattr(report, method):
            return getattr(report, method)()
    if dataclasses.is_dataclass(report):
        return json.loads(json.dumps(dataclasses.asdict(report), default=str))
    return {"report": str(report)}


def _garment_ids(report: Any, data: dict[str, Any]) -> list[str]:
    ids = getattr(report, "garment_ids", None) or data.get("garment_ids") or []
    return [str(i) for i in ids]


def _catalog_table(services: Services) -> Any:
    import pandas as pd

    catalog = services.catalog_or_none()
    if catalog is None:
        return pd.DataFrame(columns=LIST_COLUMNS)
    rows = [
        {
            "id": g.id,
            "name": g.name,
            "category": g.category,
            "fabric": g.fabric,
            "colour": g.colour,
            "price": g.price,
            "sizes": ", ".join(g.sizes),
        }
        for g in catalog.list()
    ]
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


def _id_choices(services: Services) -> list[tuple[str, str]]:
    catalog = services.catalog_or_none()
    if catalog is None:
        return []
    return [(f"{g.name} ({g.id})", g.id) for g in catalog.list()]


def _describe(key: str, value: Any) -> str:
    if key == "parts" and isinstance(value, list):
        return ", ".join(
            f"{part.get('name', '?')} ({part.get('category', '?')}, "
            f"{part.get('vertices', '?')} vertices)"
            for part in value
            if isinstance(part, dict)
        )
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def _summary(file_name: str, data: dict[str, Any], ids: list[str]) -> str:
    lines = [f"**{file_name}**: imported as {', '.join(ids) or 'nothing'}."]
    for key in ("units", "up_axis", "up", "category", "parts", "warnings", "repairs"):
        if key in data and data[key] not in (None, [], {}):
            lines.append(f"- {key.replace('_', ' ')}: {_describe(key, data[key])}")
    return "\n".join(lines)


def _preview_path(services: Services, garment: Any, size: str) -> Path:
    folder = services.settings.output_dir / "previews"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{garment.id}-{size}-{garment.mesh_key[:12]}.glb"


def make_preview(services: Services, garment_id: str, size: str | None) -> str:
    """A GLB of the garment in ``size`` on the mannequin; its path."""
    catalog = services.catalog()
    garment = catalog.get(garment_id)
    size = size or garment.base_size
    path = _preview_path(services, garment, size)
    if not path.exists():
        catalog.preview(garment_id, size, path)
    return str(path)


def _import_handler(services: Services):
    @guarded
    def import_garments(
        files: list[str] | None,
        name: str,
        category: str,
        fabric: str,
        units: str,
        up: str,
        colour: str,
        price: str | None,
        sizes: str,
        tags: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        if not files:
            raise InputError("no file arrived; choose one or several mesh files")
        overrides = import_overrides(
            name, category, fabric, units, up, colour, price, sizes, tags
        )
        if optional("garments.importer", "import_mesh") is None:
            raise NotAvailable("importing meshes is not available yet; try later")
        catalog = services.catalog()
        reports, summaries, new_ids = {}, [], []
        for index, path in enumerate(files):
            file_name = Path(path).name
            progress(index / len(files), desc=f"Importing {file_name}")
            options = dict(overrides)
            if "name" in options and len(files) > 1:
                options["name"] = f"{options['name']} {Path(path).stem}"
            try:
                report = catalog.import_file(path, **options)
            except Exception as error:
                if not getattr(error, "user_error", False):
                    raise
                summaries.append(f"**{file_name}**: refused: {error}")
                reports[file_name] = {"error": str(error)}
                continue
            data = report_as_dict(report)
            ids = _garment_ids(report, data)
            reports[file_name] = data
            summaries.append(_summary(file_name, data, ids))
            new_ids += ids
        first = new_ids[0] if new_ids else None
        progress(0.95, desc="Making the preview")
        preview = make_preview(services, first, None) if first else None
        return (
            "\n\n".join(summaries),
            reports,
            _catalog_table(services),
            gr.update(choices=_id_choices(services), value=first),
            preview,
        )

    return import_garments


def _select_handler(services: Services):
    @guarded
    def select_garment(garment_id: str | None) -> tuple[Any, ...]:
        if not garment_id:
            return (gr.update(choices=[], value=None),) + (gr.update(),) * 6
        garment = services.catalog().get(garment_id)
        return (
            gr.update(choices=list(garment.sizes), value=garment.base_size),
            garment.name,
            garment.price,
            garment.colour,
            ", ".join(garment.sizes),
            ", ".join(garment.tags),
            garment.import_report,
        )

    return select_garment


def _preview_handler(services: Services):
    @guarded
    def preview_size(
        garment_id: str | None,
        size: str | None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> Any:
        if not garment_id:
            return None
        progress(0.2, desc=f"Dressing the mannequin in size {size}")
        return make_preview(services, garment_id, size)

    return preview_size


def _save_handler(services: Services):
    @guarded
    def save_garment(
        garment_id: str | None,
        name: str,
        price: float | None,
        colour: str,
        sizes: str,
        tags: str,
    ) -> tuple[Any, ...]:
        if not garment_id:
            raise InputError("pick a garment to edit first")
        fields = import_overrides(
            name, DETECT, DETECT, DETECT, DETECT, colour, price, sizes, tags
        )
        fields.pop("units", None)
        fields.pop("up", None)
        if "tags" not in fields:
            fields["tags"] = []
        services.catalog().update(garment_id, **fields)
        return f"Saved {garment_id}.", _catalog_table(services)

    return save_garment


def _remove_handler(services: Services):
    @guarded
    def remove_garment(garment_id: str | None, confirm: bool) -> tuple[Any, ...]:
        if not garment_id:
            raise InputError("pick a garment to remove first")
        if not confirm:
            raise InputError("tick 'yes, remove it' to remove the garment")
        services.catalog().remove(garment_id)
        return (
            f"Removed {garment_id}.",
            _catalog_table(services),
            gr.update(choices=_id_choices(services), value=None),
            False,
        )

    return remove_garment


def _refresh_handler(services: Services):
    @guarded
    def refresh() -> tuple[Any, Any]:
        choices = _id_choices(services)
        first = choices[0][1] if choices else None
        return _catalog_table(services), gr.update(choices=choices, value=first)

    return refresh


def _import_tab() -> dict[str, gr.Component]:
    parts: dict[str, gr.Component] = {}
    parts["files"] = gr.File(
        label="Mesh files (OBJ, GLB/glTF, PLY, STL, OFF, or .zip/.bz2)",
        file_count="multiple",
        file_types=MESH_TYPES,
        elem_id="mesh-upload",
    )
    gr.Markdown("Everything below is optional: what you leave out is detected.")
    with gr.Row():
        parts["name"] = gr.Textbox(label="Name")
        parts["category"] = gr.Dropdown(
            [DETECT, *CATEGORIES], value=DETECT, label="Category"
        )
        parts["fabric"] = gr.Dropdown([DETECT, *FABRICS], value=DETECT, label="Fabric")
    with gr.Row():
        parts["units"] = gr.Dropdown(
            [DETECT, "m", "dm", "cm", "mm"], value=DETECT, label="Units of the file"
        )
        parts["up"] = gr.Dropdown([DETECT, "y", "z"], value=DETECT, label="Up axis")
        parts["colour"] = gr.Textbox(label="Colour (#rrggbb)")
        parts["price"] = gr.Textbox(label="Price (e.g. 29.90)")
    with gr.Row():
        parts["sizes"] = gr.Textbox(label="Sizes (comma-separated; default XS..XXL)")
        parts["tags"] = gr.Textbox(label="Tags (comma-separated)")
    parts["import"] = gr.Button("Import", variant="primary", elem_id="import-button")
    parts["summary"] = gr.Markdown(elem_id="import-summary")
    parts["report"] = gr.JSON(label="Import report", elem_id="import-report")
    return parts


def _catalog_tab(services: Services) -> dict[str, gr.Component]:
    parts: dict[str, gr.Component] = {}
    parts["table"] = gr.Dataframe(
        _catalog_table(services), label="Catalog", interactive=False
    )
    with gr.Row():
        parts["garment"] = gr.Dropdown(
            _id_choices(services), label="Garment", elem_id="merchant-garment"
        )
        parts["size"] = gr.Dropdown([], label="Size", elem_id="merchant-size")
    parts["preview"] = gr.Model3D(
        label="On the mannequin", elem_id="preview-3d", height=480
    )
    with gr.Accordion("Edit", open=False):
        with gr.Row():
            parts["edit_name"] = gr.Textbox(label="Name")
            parts["edit_price"] = gr.Number(label="Price")
            parts["edit_colour"] = gr.Textbox(label="Colour (#rrggbb)")
        with gr.Row():
            parts["edit_sizes"] = gr.Textbox(label="Sizes")
            parts["edit_tags"] = gr.Textbox(label="Tags")
        parts["save"] = gr.Button("Save changes")
        with gr.Row():
            parts["confirm"] = gr.Checkbox(label="yes, remove it", value=False)
            parts["remove"] = gr.Button("Remove garment", variant="stop")
    parts["edit_note"] = gr.Markdown()
    parts["garment_report"] = gr.JSON(label="Its import report")
    return parts


def _wire(ui: dict[str, gr.Component], services: Services) -> None:
    ui["import"].click(
        _import_handler(services),
        [
            ui[k]
            for k in (
                "files",
                "name",
                "category",
                "fabric",
                "units",
                "up",
                "colour",
                "price",
                "sizes",
                "tags",
            )
        ],
        [ui["summary"], ui["report"], ui["table"], ui["garment"], ui["preview"]],
        api_name="import_garments",
    )
    ui["garment"].change(
        _select_handler(services),
        [ui["garment"]],
        [
            ui[k]
            for k in (
                "size",
                "edit_name",
                "edit_price",
                "edit_colour",
                "edit_sizes",
                "edit_tags",
                "garment_report",
            )
        ],
        api_name="garment_details",
    )
    ui["size"].change(
        _preview_handler(services),
        [ui["garment"], ui["size"]],
        [ui["preview"]],
        api_name="preview",
    )
    ui["save"].click(
        _save_handler(services),
        [
            ui[k]
            for k in (
                "garment",
                "edit_name",
                "edit_price",
                "edit_colour",
                "edit_sizes",
                "edit_tags",
            )
        ],
        [ui["edit_note"], ui["table"]],
        api_name="update_garment",
    )
    ui["remove"].click(
        _remove_handler(services),
        [ui["garment"], ui["confirm"]],
        [ui["edit_note"], ui["table"], ui["garment"], ui["confirm"]],
        api_name="remove_garment",
    )


def build_merchant_app(settings: Settings, services: Services) -> gr.Blocks:
    """The merchandiser's Gradio app (mounted behind the merchant login).

    Args:
        settings: the installation's settings.
        services: the warm pieces of the system shared by the server.
    """
    with gr.Blocks(title="tryon: catalog") as app:
        gr.Markdown("# Catalog\nImport garments, check them on the mannequin.")
        ui: dict[str, gr.Component] = {}
        with gr.Row():
            with gr.Column(scale=1):
                ui.update(_import_tab())
            with gr.Column(scale=1):
                ui.update(_catalog_tab(services))
        _wire(ui, services)
        app.load(
            _refresh_handler(services),
            None,
            [ui["table"], ui["garment"]],
            api_name=False,
        )
    return app
