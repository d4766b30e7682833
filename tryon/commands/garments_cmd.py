"""``tryon garments``: list, show, import, preview and remove garments."""

from __future__ import annotations

import argparse
import json
import os

from tryon.catalog import Catalog
from tryon.settings import Settings

__all__ = ["run"]


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [item.strip() for item in text.split(",") if item.strip()]


def _list(catalog: Catalog, args: argparse.Namespace) -> int:
    garments = catalog.list()
    if args.json:
        print(json.dumps([g.to_record() for g in garments], indent=1))
        return 0
    for g in garments:
        print(f"{g.id:<32} {g.category:<9} {','.join(g.sizes):<20} {g.name}")
    return 0


def _show(catalog: Catalog, args: argparse.Namespace) -> int:
    garment = catalog.get(args.id)
    if args.json:
        print(json.dumps(garment.to_record(), indent=1))
        return 0
    record = garment.to_record()
    for key in ("id", "name", "category", "fabric", "colour", "price", "base_size"):
        print(f"{key}: {record[key]}")
    print(f"sizes: {', '.join(garment.sizes)}")
    print(f"tags: {', '.join(garment.tags)}")
    print(f"source: {garment.source_file}")
    for size in garment.sizes:
        row = ", ".join(f"{k} {v:g}" for k, v in garment.size_chart[size].items())
        print(f"  {size}: {row} (cm)")
    return 0


def _import(catalog: Catalog, args: argparse.Namespace) -> int:
    overrides = {
        "name": args.name,
        "category": args.category,
        "units": args.units,
        "up": args.up,
        "fabric": args.fabric,
        "colour": args.colour,
        "price": args.price,
        "sizes": _split(args.sizes),
        "tags": _split(args.tags),
    }
    report = catalog.import_file(
        args.file, **{k: v for k, v in overrides.items() if v is not None}
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=1))
    else:
        print(report.to_text())
    return 0


def _preview(catalog: Catalog, args: argparse.Namespace) -> int:
    os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
    path = catalog.preview(args.id, args.size, args.out)
    print(path)
    return 0


def _remove(catalog: Catalog, args: argparse.Namespace) -> int:
    catalog.remove(args.id)
    print(f"removed {args.id}")
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    catalog = Catalog(settings)
    command = {
        "list": _list,
        "show": _show,
        "import": _import,
        "preview": _preview,
        "remove": _remove,
    }[args.garments_command]
    return command(catalog, args)
