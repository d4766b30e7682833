"""A shopper's orders, read from the event store for the "my orders" tab."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

__all__ = ["ORDER_COLUMNS", "orders_of"]

ORDER_COLUMNS = ("line", "order", "date", "garment", "size", "price", "returned")


def orders_of(store: Any, shopper_id: str) -> list[dict[str, Any]]:
    """The order lines of one shopper, newest first, with their returns.

    Args:
        store: a ``tryon.store.Store``.
        shopper_id: the anonymous shopper id.

    Returns:
        One dict per order line: line (id), order, date, garment, size,
        price, returned (the reason, or "").
    """
    from tryon.store import schema

    orders, lines, returns = schema.orders, schema.order_lines, schema.returns
    query = (
        select(
            lines.c.id,
            orders.c.id.label("order_id"),
            orders.c.created_at,
            lines.c.garment_id,
            lines.c.size,
            lines.c.unit_price,
            returns.c.reason,
        )
        .join(orders, lines.c.order_id == orders.c.id)
        .outerjoin(returns, returns.c.order_line_id == lines.c.id)
        .where(orders.c.shopper_id == shopper_id)
        .order_by(orders.c.created_at.desc(), lines.c.id)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [
        {
            "line": row["id"],
            "order": row["order_id"],
            "date": row["created_at"].strftime("%Y-%m-%d %H:%M"),
            "garment": row["garment_id"],
            "size": row["size"],
            "price": row["unit_price"],
            "returned": row["reason"] or "",
        }
        for row in rows
    ]
