"""What the store hands back for orders and returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["OrderLine", "OrderRecord", "ReturnRecord"]


@dataclass(frozen=True)
class OrderLine:
    """One garment in one size on an order.

    Attributes:
        id: the line's id, what a return refers to.
        order_id: the order it belongs to.
        garment_id: the garment bought.
        size: size label bought.
        quantity: how many.
        unit_price: price of one, in the store's currency, or None.
        tryon_id: the shopper's last try-on of this garment (in this size
            if there is one) before the order, or None when the garment
            was bought without a try-on.
    """

    id: int
    order_id: int
    garment_id: str
    size: str
    quantity: int
    unit_price: float | None
    tryon_id: int | None


@dataclass(frozen=True)
class OrderRecord:
    """An order as stored.

    Attributes:
        id: order id.
        idempotency_key: the client's key; one order per key.
        shopper_id: anonymous shopper id.
        created_at: naive UTC time of the order.
        synthetic: whether the order comes from ``tryon simulate``.
        lines: the order lines.
        created: True when this call stored the order, False when an
            order with the same key already existed and was returned.
    """

    id: int
    idempotency_key: str
    shopper_id: str
    created_at: datetime
    synthetic: bool
    lines: tuple[OrderLine, ...]
    created: bool


@dataclass(frozen=True)
class ReturnRecord:
    """A return of one order line as stored.

    Attributes:
        id: return id.
        idempotency_key: the client's key; one return per key.
        order_line_id: the order line sent back.
        reason: one of :data:`tryon.store.vocab.RETURN_REASONS`.
        note: the shopper's free text (may be empty).
        created_at: naive UTC time of the return.
        synthetic: whether the return comes from ``tryon simulate``.
        created: True when this call stored the return, False when a
            return with the same key already existed and was returned.
    """

    id: int
    idempotency_key: str
    order_line_id: int
    reason: str
    note: str
    created_at: datetime
    synthetic: bool
    created: bool
