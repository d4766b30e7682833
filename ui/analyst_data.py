"""The analyst's tables, read from the event store for one period.

Every figure comes from the stored events: try-ons, order lines and
returns. An order line is "with try-on" when the store linked it to the
shopper's try-on of that garment; its fit label and score are that
try-on's.

Note:
    These queries read the store's tables directly with pandas; they do
    not go through ``tryon.analytics``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select

from tryon.errors import InputError

__all__ = ["Period", "Tables", "parse_period", "read_tables", "key_figures"]

SCORE_BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
BAND_LABELS = ("0.0-0.2", "0.2-0.4", "0.4-0.6", "0.6-0.8", "0.8-1.0")
FIT_ORDER = ("too tight", "snug", "good", "relaxed", "too loose")


@dataclass(frozen=True)
class Period:
    """A period of days, both ends included; None for an open end."""

    since: date | None
    until: date | None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """Naive UTC datetimes: the first instant and the instant after."""
        start = (
            None
            if self.since is None
            else datetime.combine(self.since, datetime.min.time())
        )
        end = (
            None
            if self.until is None
            else datetime.combine(self.until + timedelta(days=1), datetime.min.time())
        )
        return start, end


def _parse_day(text: str | None, name: str) -> date | None:
    if not text or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{name} date {text.strip()!r} is not YYYY-MM-DD; write it like 2026-01-31"
        ) from None


def parse_period(since: str | None, until: str | None) -> Period:
    """The period between two YYYY-MM-DD days (either may be empty).

    Raises:
        InputError: a day is malformed or the period ends before it starts.
    """
    period = Period(_parse_day(since, "from"), _parse_day(until, "to"))
    if period.since and period.until and period.until < period.since:
        raise InputError("the period ends before it starts; swap the two dates")
    return period


@dataclass(frozen=True)
class Tables:
    """The events of one period.

    Attributes:
        tryons: one row per try-on (garment_id, size, source, fit_score,
            fit_label, recommended_size, synthetic, created_at).
        lines: one row per order line (line_id, garment_id, size,
            unit_price, tryon_id, synthetic, created_at, returned,
            reason, fit_label, fit_score, with_tryon).
    """

    tryons: pd.DataFrame
    lines: pd.DataFrame

    @property
    def synthetic(self) -> bool:
        """Whether any event of the period is synthetic."""
        return bool(self.tryons["synthetic"].any() or self.lines["synthetic"].any())


def _within(query: Any, column: Any, period: Period) -> Any:
    start, end = period.bounds()
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column < end)
    return query


def _read(store: Any, query: Any) -> pd.DataFrame:
    with store.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(
        [dict(row) for row in rows], columns=list(query.selected_columns.keys())
    )


def _tryons(store: Any, period: Period) -> pd.DataFrame:
    from tryon.store import schema

    t = schema.tryons
    query = select(
        t.c.id,
        t.c.shopper_id,
        t.c.garment_id,
        t.c.size,
        t.c.source,
        t.c.fit_score,
        t.c.fit_label,
        t.c.recommended_size,
        t.c.synthetic,
        t.c.created_at,
    )
    return _read(store, _within(query, t.c.created_at, period))


def _lines(store: Any, period: Period) -> pd.DataFrame:
    from tryon.store import schema

    o, ln, r, t = schema.orders, schema.order_lines, schema.returns, schema.tryons
    query = (
        select(
            ln.c.id.label("line_id"),
            o.c.shopper_id,
            ln.c.garment_id,
            ln.c.size,
            ln.c.quantity,
            ln.c.unit_price,
            ln.c.tryon_id,
            o.c.synthetic,
            o.c.created_at,
            r.c.reason,
            t.c.fit_label,
            t.c.fit_score,
        )
        .join(o, ln.c.order_id == o.c.id)
        .outerjoin(r, r.c.order_line_id == ln.c.id)
        .outerjoin(t, t.c.id == ln.c.tryon_id)
    )
    lines = _read(store, _within(query, o.c.created_at, period))
    lines["returned"] = lines["reason"].notna().astype(bool)
    lines["with_tryon"] = lines["tryon_id"].notna()
    return lines


def read_tables(store: Any, period: Period) -> Tables:
    """Try-ons and order lines (with their returns) of ``period``."""
    return Tables(tryons=_tryons(store, period), lines=_lines(store, period))


def key_figures(tables: Tables) -> dict[str, float]:
    """Try-ons, order lines, conversion and return rate of the period.

    Conversion is the share of try-ons that an order line points at; the
    return rate is the share of order lines returned.
    """
    tryons, lines = tables.tryons, tables.lines
    bought = lines["tryon_id"].dropna().nunique()
    return {
        "try-ons": float(len(tryons)),
        "order lines": float(len(lines)),
        "conversion": bought / len(tryons) if len(tryons) else float("nan"),
        "return rate": float(lines["returned"].mean()) if len(lines) else float("nan"),
    }


def return_rate_by(lines: pd.DataFrame, column: str) -> pd.DataFrame:
    """Return rate and line count per value of ``column``."""
    if lines.empty:
        return pd.DataFrame(columns=[column, "return_rate", "lines"])
    grouped = lines.groupby(column, dropna=False)["returned"]
    table = pd.DataFrame(
        {"return_rate": grouped.mean().astype(float), "lines": grouped.size()}
    )
    return table.reset_index().astype({column: str, "lines": int})


def returns_by_reason(lines: pd.DataFrame) -> pd.DataFrame:
    """How many returns per reason."""
    returned = lines[lines["returned"]]
    counts = returned.groupby("reason").size().rename("returns").reset_index()
    counts = counts.astype({"reason": str, "returns": int})
    return counts.sort_values("returns", ascending=False)


def _tried(lines: pd.DataFrame) -> pd.DataFrame:
    return lines[lines["with_tryon"] & lines["fit_label"].notna()]


def fit_label_against_reason(lines: pd.DataFrame) -> pd.DataFrame:
    """Order lines per fit label of the try-on (rows) and outcome (columns).

    The outcome is the return reason, or "kept".
    """
    tried = _tried(lines).assign(outcome=lambda t: t["reason"].fillna("kept"))
    if tried.empty:
        return pd.DataFrame(columns=["fit label", "kept"])
    table = pd.crosstab(tried["fit_label"], tried["outcome"])
    table = table.reindex([x for x in FIT_ORDER if x in table.index])
    return table.rename_axis(index="fit label", columns=None).reset_index()


def return_rate_by_fit_label(lines: pd.DataFrame) -> pd.DataFrame:
    """Return rate per fit label of the try-on, tight to loose."""
    table = return_rate_by(_tried(lines), "fit_label")
    order = {label: index for index, label in enumerate(FIT_ORDER)}
    return table.sort_values("fit_label", key=lambda c: c.map(order))


def score_band_return_rate(lines: pd.DataFrame) -> pd.DataFrame:
    """Return rate per band of the try-on's fit score."""
    tried = lines[lines["fit_score"].notna()].copy()
    tried["score_band"] = pd.cut(
        tried["fit_score"].astype(float), SCORE_BANDS, labels=BAND_LABELS, right=False
    )
    return return_rate_by(tried, "score_band")


def with_and_without_tryon(lines: pd.DataFrame) -> pd.DataFrame:
    """Return rate of lines bought with and without a try-on."""
    table = lines.assign(
        bought=lines["with_tryon"].map({True: "with try-on", False: "without try-on"})
    )
    return return_rate_by(table, "bought")
