"""The event log as the recommender reads it: pandas frames from the store."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import select

from tryon.recommend.garment_features import colour_family
from tryon.store import Store, schema

__all__ = [
    "EventLog",
    "ShopperEvents",
    "garment_rows",
    "load_event_log",
    "load_shopper_log",
    "load_shopper_events",
]

TRYON_COLUMNS = [
    "tryon_id",
    "shopper_id",
    "garment_id",
    "size",
    "created_at",
    "fit_label",
    "fit_score",
    "measurements_cm",
    "synthetic",
]
PURCHASE_COLUMNS = [
    "line_id",
    "shopper_id",
    "garment_id",
    "size",
    "created_at",
    "unit_price",
    "tryon_id",
    "returned_at",
    "return_reason",
    "synthetic",
]


@dataclass(frozen=True)
class EventLog:
    """Garments, try-ons and purchases (one row per order line).

    Attributes:
        garments: one row per garment: garment_id, name, category,
            colour, family (colour family), price, sizes (list),
            size_chart (dict).
        tryons: :data:`TRYON_COLUMNS`, ordered by time.
        purchases: :data:`PURCHASE_COLUMNS`, ordered by time; returned_at
            is NaT for a kept line.
    """

    garments: pd.DataFrame
    tryons: pd.DataFrame
    purchases: pd.DataFrame

    @property
    def synthetic(self) -> bool:
        """Whether any event in the log is synthetic."""
        return bool(self.tryons["synthetic"].any() or self.purchases["synthetic"].any())

    def before(self, cutoff: datetime) -> EventLog:
        """The log as it was known at ``cutoff``: later events and returns dropped."""
        tryons = self.tryons[self.tryons["created_at"] < cutoff]
        purchases = self.purchases[self.purchases["created_at"] < cutoff].copy()
        late = purchases["returned_at"] >= cutoff
        purchases.loc[late, "returned_at"] = pd.NaT
        purchases.loc[late, "return_reason"] = None
        return replace(self, tryons=tryons, purchases=purchases)

    def kept(self) -> pd.DataFrame:
        """Purchases not returned (as far as the log knows)."""
        return self.purchases[self.purchases["returned_at"].isna()]

    def latest_measurements(self) -> dict[str, dict[str, float]]:
        """shopper_id -> measurements (cm) of their last try-on that had them."""
        measured = self.tryons.dropna(subset=["measurements_cm"])
        last = measured.groupby("shopper_id")["measurements_cm"].last()
        return {shopper: dict(values) for shopper, values in last.items()}


def garment_rows(store: Store) -> list[dict[str, Any]]:
    """The catalog as the recommender reads it: one dict per garment with
    garment_id, name, category, colour, family, price, sizes, size_chart."""
    return [
        {
            "garment_id": g["id"],
            "name": g["name"],
            "category": g["category"],
            "colour": g.get("colour"),
            "family": colour_family(g.get("colour")),
            "price": float(g.get("price") or 0.0),
            "sizes": list(g.get("sizes") or []),
            "size_chart": dict(g.get("size_chart") or {}),
        }
        for g in store.list_garments()
    ]


def _garments_frame(store: Store) -> pd.DataFrame:
    columns = ["garment_id", "name", "category", "colour", "family", "price"]
    return pd.DataFrame(garment_rows(store), columns=[*columns, "sizes", "size_chart"])


def _tryons_frame(store: Store, shopper_id: str | None = None) -> pd.DataFrame:
    t = schema.tryons.c
    query = select(
        t.id.label("tryon_id"),
        t.shopper_id,
        t.garment_id,
        t.size,
        t.created_at,
        t.fit_label,
        t.fit_score,
        t.measurements_cm,
        t.synthetic,
    ).order_by(t.created_at, t.id)
    if shopper_id is not None:
        query = query.where(t.shopper_id == shopper_id)
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=TRYON_COLUMNS)
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    return frame


def _purchases_frame(store: Store, shopper_id: str | None = None) -> pd.DataFrame:
    lines, orders, returns = schema.order_lines, schema.orders, schema.returns
    query = (
        select(
            lines.c.id.label("line_id"),
            orders.c.shopper_id,
            lines.c.garment_id,
            lines.c.size,
            orders.c.created_at,
            lines.c.unit_price,
            lines.c.tryon_id,
            returns.c.created_at.label("returned_at"),
            returns.c.reason.label("return_reason"),
            orders.c.synthetic,
        )
        .join(orders, orders.c.id == lines.c.order_id)
        .outerjoin(returns, returns.c.order_line_id == lines.c.id)
        .order_by(orders.c.created_at, lines.c.id)
    )
    if shopper_id is not None:
        query = query.where(orders.c.shopper_id == shopper_id)
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=PURCHASE_COLUMNS)
    # A line returned twice counts once, at its first return.
    frame = frame.drop_duplicates(subset="line_id", keep="first")
    for column in ("created_at", "returned_at"):
        frame[column] = pd.to_datetime(frame[column])
    return frame.reset_index(drop=True)


def load_event_log(store: Store) -> EventLog:
    """Read the garments and every try-on and purchase from ``store``."""
    return EventLog(
        garments=_garments_frame(store),
        tryons=_tryons_frame(store),
        purchases=_purchases_frame(store),
    )


def load_shopper_log(store: Store, shopper_id: str) -> EventLog:
    """The garments and one shopper's try-ons and purchases."""
    return EventLog(
        garments=_garments_frame(store),
        tryons=_tryons_frame(store, shopper_id),
        purchases=_purchases_frame(store, shopper_id),
    )


@dataclass(frozen=True)
class ShopperEvents:
    """One shopper's history, read without pandas (for serving).

    Attributes:
        tried: garment ids of their try-ons, oldest first.
        kept: garment ids of their purchases not returned.
        measurements: measurements (cm) of their last try-on with them.
    """

    tried: tuple[str, ...]
    kept: tuple[str, ...]
    measurements: dict[str, float]


def load_shopper_events(store: Store, shopper_id: str) -> ShopperEvents:
    """One shopper's try-ons and kept purchases (two small queries)."""
    t = schema.tryons.c
    lines, orders, returns = schema.order_lines, schema.orders, schema.returns
    tryons = (
        select(t.garment_id, t.measurements_cm)
        .where(t.shopper_id == shopper_id)
        .order_by(t.created_at, t.id)
    )
    bought = (
        select(lines.c.garment_id, returns.c.id)
        .join(orders, orders.c.id == lines.c.order_id)
        .outerjoin(returns, returns.c.order_line_id == lines.c.id)
        .where(orders.c.shopper_id == shopper_id)
        .order_by(orders.c.created_at, lines.c.id)
    )
    with store.engine.connect() as connection:
        tried = connection.execute(tryons).all()
        purchases = connection.execute(bought).all()
    measured = [dict(values) for _, values in tried if values]
    return ShopperEvents(
        tried=tuple(garment for garment, _ in tried),
        kept=tuple(garment for garment, returned in purchases if returned is None),
        measurements=measured[-1] if measured else {},
    )
