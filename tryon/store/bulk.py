"""Loading many events in one transaction with few round trips.

``tryon simulate`` writes thousands of events; one INSERT per event
costs a round trip each on PostgreSQL. Here each table gets one
executemany (SQLAlchemy batches it into multi-row INSERTs and hands the
new ids back in order), and events refer to each other by their
position in the lists given.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from tryon.store import schema
from tryon.store.events import check_lines, check_reason, tryon_row

__all__ = ["BulkEvents", "BulkOrder", "BulkReturn", "load_events"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BulkOrder:
    """An order for :func:`load_events`.

    Attributes:
        shopper_id: the shopper.
        idempotency_key: must be new (a used key fails the whole load).
        created_at: naive UTC time.
        lines: each {garment_id, size, quantity=1, unit_price=None,
            tryon_index=None}: the index of the line's try-on in
            :attr:`BulkEvents.tryons`, if any.
        synthetic: simulated traffic.
    """

    shopper_id: str
    idempotency_key: str
    created_at: datetime
    lines: Sequence[Mapping[str, Any]]
    synthetic: bool = False


@dataclass(frozen=True)
class BulkReturn:
    """A return of line ``line_index`` of order ``order_index``."""

    order_index: int
    line_index: int
    reason: str
    idempotency_key: str
    created_at: datetime
    note: str = ""
    synthetic: bool = False


@dataclass
class BulkEvents:
    """Events to load together.

    Attributes:
        tryons: keyword arguments of ``Store.record_tryon`` (without
            photo), ``created_at`` required.
        orders: the orders.
        returns: the returns.
    """

    tryons: list[dict[str, Any]] = field(default_factory=list)
    orders: list[BulkOrder] = field(default_factory=list)
    returns: list[BulkReturn] = field(default_factory=list)


def _insert_many(connection: Connection, table, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, rows).scalars())


def _shoppers(connection: Connection, events: BulkEvents) -> None:
    first: dict[str, tuple[datetime, bool]] = {}
    stamped = [
        (t["shopper_id"], t["created_at"], t.get("synthetic", False))
        for t in events.tryons
    ] + [(o.shopper_id, o.created_at, o.synthetic) for o in events.orders]
    for shopper, moment, synthetic in stamped:
        if shopper not in first or moment < first[shopper][0]:
            first[shopper] = (moment, synthetic)
    known = set(
        connection.execute(
            select(schema.shoppers.c.id).where(schema.shoppers.c.id.in_(list(first)))
        ).scalars()
    )
    rows = [
        {
            "id": shopper,
            "created_at": moment,
            "synthetic": synthetic,
            "photo_opt_in": False,
            "measurements_cm": None,
        }
        for shopper, (moment, synthetic) in first.items()
        if shopper not in known
    ]
    if rows:
        connection.execute(insert(schema.shoppers), rows)


def _latest_measurements(connection: Connection, rows: list[dict]) -> None:
    latest: dict[str, tuple[datetime, dict]] = {}
    for row in rows:
        if row["measurements_cm"]:
            shopper, moment = row["shopper_id"], row["created_at"]
            if shopper not in latest or moment >= latest[shopper][0]:
                latest[shopper] = (moment, row["measurements_cm"])
    if not latest:
        return
    statement = (
        update(schema.shoppers)
        .where(schema.shoppers.c.id == bindparam("shopper"))
        .values(measurements_cm=bindparam("measurements"))
    )
    parameters = [
        {"shopper": shopper, "measurements": values}
        for shopper, (_, values) in latest.items()
    ]
    connection.execute(statement, parameters)


def _order_lines(
    events: BulkEvents, order_ids: list[int], tryon_ids: list[int]
) -> tuple[list[dict], list[tuple[int, int]]]:
    rows, positions = [], []
    for index, order in enumerate(events.orders):
        for line_index, line in enumerate(order.lines):
            tryon_index = line.get("tryon_index")
            price = line.get("unit_price")
            rows.append(
                {
                    "order_id": order_ids[index],
                    "garment_id": str(line["garment_id"]),
                    "size": str(line["size"]),
                    "quantity": int(line.get("quantity", 1)),
                    "unit_price": None if price is None else float(price),
                    "tryon_id": None if tryon_index is None else tryon_ids[tryon_index],
                }
            )
            positions.append((index, line_index))
    return rows, positions


def load_events(connection: Connection, events: BulkEvents) -> dict[str, int]:
    """Insert the events on ``connection`` (inside the caller's transaction).

    Returns:
        How many rows went into each table.

    Raises:
        InvalidEvent: an event with a value outside the vocabularies.
        sqlalchemy.exc.IntegrityError: an idempotency key already used.
    """
    tryon_rows = [tryon_row(**event) for event in events.tryons]
    for order in events.orders:
        check_lines(order.lines)
    for returned in events.returns:
        check_reason(returned.reason)
    _shoppers(connection, events)
    tryon_ids = _insert_many(connection, schema.tryons, tryon_rows)
    _latest_measurements(connection, tryon_rows)
    order_rows = [
        {
            "idempotency_key": o.idempotency_key,
            "shopper_id": o.shopper_id,
            "synthetic": o.synthetic,
            "created_at": o.created_at,
        }
        for o in events.orders
    ]
    order_ids = _insert_many(connection, schema.orders, order_rows)
    line_rows, positions = _order_lines(events, order_ids, tryon_ids)
    line_ids = dict(
        zip(
            positions,
            _insert_many(connection, schema.order_lines, line_rows),
            strict=True,
        )
    )
    return_rows = [
        {
            "idempotency_key": r.idempotency_key,
            "order_line_id": line_ids[(r.order_index, r.line_index)],
            "reason": r.reason,
            "note": r.note,
            "synthetic": r.synthetic,
            "created_at": r.created_at,
        }
        for r in events.returns
    ]
    if return_rows:
        connection.execute(insert(schema.returns), return_rows)
    counts = {
        "tryons": len(tryon_rows),
        "orders": len(order_rows),
        "order_lines": len(line_rows),
        "returns": len(return_rows),
    }
    logger.debug("bulk-loaded %s", counts)
    return counts
