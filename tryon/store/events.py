"""Writing and reading events on an open connection.

The functions here run inside a transaction the :class:`~tryon.store.Store`
opens; they validate what they are given and raise
:class:`~tryon.store.errors.InvalidEvent` for values outside the
store's vocabularies.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from tryon.errors import NotFound
from tryon.store import schema
from tryon.store.errors import InvalidEvent
from tryon.store.records import OrderLine, OrderRecord, ReturnRecord
from tryon.store.vocab import FIT_LABELS, RETURN_REASONS, SOURCES, overall_fit_label

__all__ = [
    "ensure_shopper",
    "insert_tryon",
    "tryon_row",
    "check_lines",
    "check_reason",
    "find_order",
    "insert_order",
    "find_return",
    "insert_return",
    "round_measurements",
]

logger = logging.getLogger(__name__)


# Statements built once; the values go in as parameters so that
# SQLAlchemy's compiled-statement cache serves every call.
_SHOPPER_EXISTS = select(schema.shoppers.c.id).where(
    schema.shoppers.c.id == bindparam("shopper_id")
)
_INSERT_SHOPPER = insert(schema.shoppers)
_INSERT_TRYON = insert(schema.tryons).returning(schema.tryons.c.id)
_UPDATE_MEASUREMENTS = (
    update(schema.shoppers)
    .where(schema.shoppers.c.id == bindparam("shopper_id"))
    .values(measurements_cm=bindparam("measurements"))
)
_INSERT_ORDER = insert(schema.orders).returning(schema.orders.c.id)
_INSERT_LINE = insert(schema.order_lines)
_INSERT_RETURN = insert(schema.returns).returning(schema.returns.c.id)
_LAST_TRYON = select(func.max(schema.tryons.c.id)).where(
    schema.tryons.c.shopper_id == bindparam("shopper_id"),
    schema.tryons.c.garment_id == bindparam("garment_id"),
    schema.tryons.c.created_at <= bindparam("before"),
)
_LAST_TRYON_OF_SIZE = _LAST_TRYON.where(schema.tryons.c.size == bindparam("size"))


def round_measurements(measurements_cm: Mapping[str, float] | None) -> dict:
    """Measurements rounded to the centimetre (what the store keeps)."""
    return {
        str(key): int(round(float(value)))
        for key, value in (measurements_cm or {}).items()
        if value is not None
    }


def ensure_shopper(
    connection: Connection, shopper_id: str, synthetic: bool, now: datetime
) -> None:
    """Create the anonymous shopper ``shopper_id`` unless it exists."""
    found = connection.execute(_SHOPPER_EXISTS, {"shopper_id": shopper_id}).first()
    if found is None:
        connection.execute(
            _INSERT_SHOPPER,
            {
                "id": shopper_id,
                "created_at": now,
                "synthetic": synthetic,
                "photo_opt_in": False,
                "measurements_cm": None,
            },
        )


def _region_labels(fit: Mapping[str, Any]) -> dict[str, str]:
    if fit.get("region_labels") is not None:
        labels = {str(k): str(v) for k, v in fit["region_labels"].items()}
    else:
        regions = fit.get("regions") or {}
        labels = {
            str(k): str(v["label"])
            for k, v in regions.items()
            if v.get("label") is not None
        }
    for region, label in labels.items():
        if label not in FIT_LABELS:
            raise InvalidEvent(
                f"fit label {label!r} of region {region!r} is not one of "
                f"{', '.join(FIT_LABELS)}"
            )
    return labels


def _fit_columns(fit: Mapping[str, Any] | None) -> dict[str, Any]:
    if not fit:
        return {}
    labels = _region_labels(fit)
    score = fit.get("score")
    strain = fit.get("strain_p95")
    return {
        "fit_score": None if score is None else float(score),
        "recommended_size": fit.get("recommended_size"),
        "region_labels": labels,
        "fit_label": fit.get("label") or overall_fit_label(labels),
        "strain_p95": None if strain is None else float(strain),
    }


def _measurement_columns(rounded: Mapping[str, int]) -> dict[str, Any]:
    return {
        "measurements_cm": dict(rounded) or None,
        "height_cm": rounded.get("height"),
        "chest_cm": rounded.get("chest_girth"),
        "waist_cm": rounded.get("waist_girth"),
        "hip_cm": rounded.get("hip_girth"),
    }


def tryon_row(
    *,
    shopper_id: str,
    garment_id: str,
    size: str,
    measurements_cm: Mapping[str, float] | None = None,
    fit: Mapping[str, Any] | None = None,
    timings_ms: Mapping[str, float] | None = None,
    source: str = "photo",
    synthetic: bool = False,
    created_at: datetime,
) -> dict[str, Any]:
    """The checked ``tryons`` row of one try-on (every column, no id).

    Raises:
        InvalidEvent: unknown source or fit label.
    """
    if source not in SOURCES:
        raise InvalidEvent(f"try-on source {source!r} is not one of photo, webcam")
    rounded = round_measurements(measurements_cm)
    timings = {str(k): float(v) for k, v in (timings_ms or {}).items()}
    row = {
        "shopper_id": shopper_id,
        "garment_id": garment_id,
        "size": str(size),
        "source": source,
        "synthetic": synthetic,
        "created_at": created_at,
        "timings_ms": timings or None,
        "total_ms": timings.get("total"),
        **_measurement_columns(rounded),
        **_fit_columns(fit),
    }
    return _full_row(row)


def insert_tryon(connection: Connection, **event: Any) -> int:
    """Insert one try-on event (the arguments of :func:`tryon_row`); its id.

    Raises:
        InvalidEvent: unknown source or fit label.
    """
    row = tryon_row(**event)
    shopper_id = row["shopper_id"]
    ensure_shopper(connection, shopper_id, row["synthetic"], row["created_at"])
    tryon_id = connection.execute(_INSERT_TRYON, row).scalar_one()
    if row["measurements_cm"]:
        parameters = {"shopper_id": shopper_id, "measurements": row["measurements_cm"]}
        connection.execute(_UPDATE_MEASUREMENTS, parameters)
    return int(tryon_id)


# Every column but the id, so that one compiled INSERT serves every row.
_TRYON_COLUMNS = tuple(c.name for c in schema.tryons.columns if c.name != "id")


def _full_row(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row.get(name) for name in _TRYON_COLUMNS}


def check_lines(lines: Sequence[Mapping[str, Any]]) -> None:
    if not lines:
        raise InvalidEvent("an order needs at least one line (garment_id, size)")
    for line in lines:
        if not line.get("garment_id") or not line.get("size"):
            raise InvalidEvent("each order line needs a garment_id and a size")
        if int(line.get("quantity", 1)) < 1:
            raise InvalidEvent("order line quantity must be 1 or more")


def _last_tryon(
    connection: Connection,
    shopper_id: str,
    garment_id: str,
    size: str,
    before: datetime,
) -> int | None:
    """The try-on a bought line goes with: the shopper's last try-on of the
    garment in the size bought, else in any size, at or before ``before``."""
    parameters = {
        "shopper_id": shopper_id,
        "garment_id": garment_id,
        "size": size,
        "before": before,
    }
    same_size = connection.execute(_LAST_TRYON_OF_SIZE, parameters).scalar_one()
    if same_size is not None:
        return same_size
    return connection.execute(_LAST_TRYON, parameters).scalar_one()


def _row_by_key(
    connection: Connection, table: Any, idempotency_key: str
) -> Mapping[str, Any] | None:
    """The row of ``table`` stored under ``idempotency_key``, or None."""
    return (
        connection.execute(
            select(table).where(table.c.idempotency_key == idempotency_key)
        )
        .mappings()
        .first()
    )


def find_order(connection: Connection, idempotency_key: str) -> OrderRecord | None:
    """The order stored under ``idempotency_key``, or None."""
    order = _row_by_key(connection, schema.orders, idempotency_key)
    if order is None:
        return None
    return order_record(connection, order, created=False)


def order_record(
    connection: Connection, order: Mapping[str, Any], created: bool
) -> OrderRecord:
    """The :class:`OrderRecord` of an ``orders`` row, with its lines."""
    lines = connection.execute(
        select(schema.order_lines)
        .where(schema.order_lines.c.order_id == order["id"])
        .order_by(schema.order_lines.c.id)
    ).mappings()
    return OrderRecord(
        id=order["id"],
        idempotency_key=order["idempotency_key"],
        shopper_id=order["shopper_id"],
        created_at=order["created_at"],
        synthetic=bool(order["synthetic"]),
        lines=tuple(OrderLine(**line) for line in lines),
        created=created,
    )


def insert_order(
    connection: Connection,
    *,
    shopper_id: str,
    lines: Sequence[Mapping[str, Any]],
    idempotency_key: str,
    synthetic: bool,
    created_at: datetime,
) -> OrderRecord:
    """Insert an order and its lines (the caller checked the key is new).

    A line without ``tryon_id`` is linked to the shopper's last try-on
    of that garment in the size bought at or before the order, else to
    their last try-on of it in any size, if there is one.
    """
    check_lines(lines)
    ensure_shopper(connection, shopper_id, synthetic, created_at)
    order = {
        "idempotency_key": idempotency_key,
        "shopper_id": shopper_id,
        "synthetic": synthetic,
        "created_at": created_at,
    }
    order_id = connection.execute(_INSERT_ORDER, order).scalar_one()
    for line in lines:
        tryon_id = line.get("tryon_id")
        if tryon_id is None:
            tryon_id = _last_tryon(
                connection,
                shopper_id,
                str(line["garment_id"]),
                str(line["size"]),
                created_at,
            )
        price = line.get("unit_price")
        connection.execute(
            _INSERT_LINE,
            {
                "order_id": order_id,
                "garment_id": str(line["garment_id"]),
                "size": str(line["size"]),
                "quantity": int(line.get("quantity", 1)),
                "unit_price": None if price is None else float(price),
                "tryon_id": tryon_id,
            },
        )
    return order_record(connection, {"id": order_id, **order}, created=True)


def check_reason(reason: str) -> None:
    """Raises InvalidEvent unless ``reason`` is in the return taxonomy."""
    if reason not in RETURN_REASONS:
        raise InvalidEvent(
            f"return reason {reason!r} is not one of {', '.join(RETURN_REASONS)}"
        )


def _return_record(row: Mapping[str, Any], created: bool) -> ReturnRecord:
    return ReturnRecord(
        id=row["id"],
        idempotency_key=row["idempotency_key"],
        order_line_id=row["order_line_id"],
        reason=row["reason"],
        note=row["note"],
        created_at=row["created_at"],
        synthetic=bool(row["synthetic"]),
        created=created,
    )


def find_return(connection: Connection, idempotency_key: str) -> ReturnRecord | None:
    """The return stored under ``idempotency_key``, or None."""
    row = _row_by_key(connection, schema.returns, idempotency_key)
    return None if row is None else _return_record(row, created=False)


def insert_return(
    connection: Connection,
    *,
    order_line_id: int,
    reason: str,
    note: str,
    idempotency_key: str,
    synthetic: bool,
    created_at: datetime,
) -> ReturnRecord:
    """Insert a return (the caller checked the key is new).

    Raises:
        InvalidEvent: the reason is not in the taxonomy.
        NotFound: there is no such order line.
    """
    check_reason(reason)
    line = connection.execute(
        select(schema.order_lines.c.id).where(schema.order_lines.c.id == order_line_id)
    ).first()
    if line is None:
        raise NotFound(
            f"order line {order_line_id} does not exist; check the order's lines"
        )
    row = {
        "idempotency_key": idempotency_key,
        "order_line_id": int(order_line_id),
        "reason": reason,
        "note": note or "",
        "synthetic": synthetic,
        "created_at": created_at,
    }
    return_id = connection.execute(_INSERT_RETURN, row).scalar_one()
    return _return_record({"id": return_id, **row}, created=True)
