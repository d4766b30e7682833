"""Garment records <-> rows of the ``garments`` and ``garment_sizes`` tables.

A garment record is the JSON-able dict of the catalog's ``Garment``
fields (:data:`GARMENT_FIELDS`). Keys beyond those are kept in the
``extra`` column and handed back as they came.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tryon.errors import InputError

__all__ = [
    "GARMENT_FIELDS",
    "garment_row",
    "size_rows",
    "record_from_rows",
]

GARMENT_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "category",
    "fabric",
    "colour",
    "price",
    "tags",
    "sizes",
    "base_size",
    "size_chart",
    "source_file",
    "mesh_key",
    "import_report",
)

# Size chart entries (cm) that also get a column of their own.
_CHART_COLUMNS = {
    "chest": "chest_cm",
    "waist": "waist_cm",
    "hip": "hip_cm",
    "length": "length_cm",
    "sleeve": "sleeve_cm",
}


def _require(record: Mapping[str, Any], key: str) -> Any:
    value = record.get(key)
    if value is None or value == "":
        raise InputError(f"garment record has no {key!r}; give the garment a {key}")
    return value


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def garment_row(record: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The ``garments`` row of a record (timestamps set to ``now``).

    Raises:
        InputError: the record has no id, name or category.
    """
    extra = {k: v for k, v in record.items() if k not in GARMENT_FIELDS}
    return {
        "id": str(_require(record, "id")),
        "name": str(_require(record, "name")),
        "category": str(_require(record, "category")),
        "fabric": record.get("fabric"),
        "colour": record.get("colour"),
        "price": _number(record.get("price")),
        "tags": list(record.get("tags") or []),
        "base_size": record.get("base_size"),
        "source_file": None
        if record.get("source_file") is None
        else str(record["source_file"]),
        "mesh_key": record.get("mesh_key"),
        "import_report": dict(record.get("import_report") or {}),
        "extra": extra,
        "created_at": now,
        "updated_at": now,
    }


def size_rows(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``garment_sizes`` rows of a record, in the order of its sizes.

    Sizes come from ``record["sizes"]``, else from the size chart's keys.
    """
    chart = dict(record.get("size_chart") or {})
    labels = [str(s) for s in (record.get("sizes") or list(chart))]
    rows = []
    for position, label in enumerate(dict.fromkeys(labels)):
        entry = chart.get(label)
        row = {
            "garment_id": str(record["id"]),
            "label": label,
            "position": position,
            "chart": None if entry is None else dict(entry),
        }
        for key, column in _CHART_COLUMNS.items():
            row[column] = _number((entry or {}).get(key))
        rows.append(row)
    return rows


def record_from_rows(
    garment: Mapping[str, Any], sizes: list[Mapping[str, Any]]
) -> dict[str, Any]:
    """The garment record of a ``garments`` row and its ``garment_sizes`` rows."""
    ordered = sorted(sizes, key=lambda row: row["position"])
    record = {
        "id": garment["id"],
        "name": garment["name"],
        "category": garment["category"],
        "fabric": garment["fabric"],
        "colour": garment["colour"],
        "price": garment["price"],
        "tags": list(garment["tags"] or []),
        "sizes": [row["label"] for row in ordered],
        "base_size": garment["base_size"],
        "size_chart": {
            row["label"]: dict(row["chart"])
            for row in ordered
            if row["chart"] is not None
        },
        "source_file": garment["source_file"],
        "mesh_key": garment["mesh_key"],
        "import_report": dict(garment["import_report"] or {}),
    }
    record.update(garment["extra"] or {})
    return record
