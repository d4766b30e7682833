"""The analysts' queries: returns, fit against returns, conversion.

Every function takes a :class:`~tryon.store.Store` and an optional
``since`` (the first day counted, by order time for returns and by
try-on time for conversion) and returns a pandas DataFrame, one row per
group, with the columns listed in its docstring. The SQL is SQLAlchemy
Core and portable: the same queries run on SQLite and PostgreSQL; only
pivoting and rates are done in pandas. A return is counted against the
order line it returns (lines are counted, not quantities).

An order line's try-on is the shopper's last try-on of that garment
before the order, in the size bought when there is one (linked when the
order is recorded); its fit label is the try-on's overall label (the
region label furthest from "good").
"""

from __future__ import annotations

import logging
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Select, case, distinct, func, literal_column, select

from tryon.store import RETURN_REASONS, Store, schema
from tryon.store.vocab import FIT_LABELS

__all__ = [
    "return_rates",
    "returns_by_reason",
    "returns_by_tryon",
    "fit_label_vs_reason",
    "returns_by_fit_score",
    "conversion",
    "conversion_by_fit_label",
    "is_synthetic",
    "FIT_SCORE_BANDS",
]

logger = logging.getLogger(__name__)

NO_TRYON = "no try-on"
FIT_SCORE_BANDS = (0.2, 0.4, 0.6, 0.8)

_lines = schema.order_lines
_orders = schema.orders
_returns = schema.returns
_tryons = schema.tryons


def _start(since: date | datetime | str | None) -> datetime | None:
    if since is None:
        return None
    if isinstance(since, str):
        since = date.fromisoformat(since)
    if isinstance(since, datetime):
        return since
    return datetime(since.year, since.month, since.day)


def _frame(store: Store, query: Select) -> pd.DataFrame:
    with store.engine.connect() as connection:
        result = connection.execute(query)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def _sold_lines(since) -> Select:
    """Lines with their order, return and try-on joined, filtered by order day."""
    query = (
        select(
            _lines.c.id.label("line_id"),
            _lines.c.garment_id,
            _lines.c.size,
            _returns.c.reason,
        )
        .join(_orders, _orders.c.id == _lines.c.order_id)
        .outerjoin(_returns, _returns.c.order_line_id == _lines.c.id)
        .outerjoin(_tryons, _tryons.c.id == _lines.c.tryon_id)
    )
    start = _start(since)
    return query if start is None else query.where(_orders.c.created_at >= start)


def _rates(store: Store, since, keys: list, names: list[str]) -> pd.DataFrame:
    """sold, returned, return_rate and a count per reason, grouped by ``keys``."""
    base = _sold_lines(since).subquery()
    grouped = [base.c[name] for name in names]
    totals = _frame(
        store,
        select(
            *grouped,
            func.count(distinct(base.c.line_id)).label("sold"),
            func.count(
                distinct(case((base.c.reason.is_not(None), base.c.line_id)))
            ).label("returned"),
        ).group_by(*grouped),
    )
    reasons = _frame(
        store,
        select(*grouped, base.c.reason, func.count().label("count"))
        .where(base.c.reason.is_not(None))
        .group_by(*grouped, base.c.reason),
    )
    return _with_reasons(totals, reasons, names)


def _with_reasons(
    totals: pd.DataFrame, reasons: pd.DataFrame, names: list[str]
) -> pd.DataFrame:
    if totals.empty:
        columns = [*names, "sold", "returned", "return_rate", *RETURN_REASONS]
        return pd.DataFrame(columns=columns)
    table = (
        reasons.pivot_table(
            index=names, columns="reason", values="count", aggfunc="sum"
        )
        if not reasons.empty
        else pd.DataFrame(index=pd.MultiIndex.from_frame(totals[names]))
    )
    table = table.reindex(columns=list(RETURN_REASONS)).fillna(0).astype(int)
    merged = totals.merge(table.reset_index(), on=names, how="left")
    merged[list(RETURN_REASONS)] = merged[list(RETURN_REASONS)].fillna(0).astype(int)
    merged["return_rate"] = (merged["returned"] / merged["sold"]).round(4)
    columns = [*names, "sold", "returned", "return_rate", *RETURN_REASONS]
    return merged[columns].sort_values(names, ignore_index=True)


def return_rates(store: Store, since=None) -> pd.DataFrame:
    """Return rate by garment and size.

    Columns: garment_id, size, sold (order lines), returned (lines with
    a return), return_rate, and one count per return reason.
    """
    return _rates(store, since, [], ["garment_id", "size"])


def returns_by_reason(store: Store, since=None) -> pd.DataFrame:
    """Returns per reason. Columns: reason, returns, share (of all returns)."""
    base = _sold_lines(since).where(_returns.c.reason.is_not(None)).subquery()
    frame = _frame(
        store,
        select(base.c.reason, func.count().label("returns")).group_by(base.c.reason),
    )
    counts = dict(zip(frame["reason"], frame["returns"], strict=True))
    rows = [{"reason": r, "returns": int(counts.get(r, 0))} for r in RETURN_REASONS]
    result = pd.DataFrame(rows)
    total = result["returns"].sum()
    result["share"] = (result["returns"] / total).round(4) if total else 0.0
    return result


def _tryon_group():
    return case(
        (_lines.c.tryon_id.is_(None), literal_column("'without try-on'")),
        else_=literal_column("'with try-on'"),
    )


def returns_by_tryon(store: Store, since=None) -> pd.DataFrame:
    """Return rates of lines bought with and without a try-on before.

    Columns: tryon (``with try-on`` / ``without try-on``), sold,
    returned, return_rate, and one count per reason.
    """
    query = _sold_lines(since).add_columns(_tryon_group().label("tryon"))
    return _rates_of(store, query, "tryon")


def _rates_of(store: Store, query: Select, name: str) -> pd.DataFrame:
    base = query.subquery()
    column = base.c[name]
    totals = _frame(
        store,
        select(
            column,
            func.count(distinct(base.c.line_id)).label("sold"),
            func.count(
                distinct(case((base.c.reason.is_not(None), base.c.line_id)))
            ).label("returned"),
        ).group_by(column),
    )
    reasons = _frame(
        store,
        select(column, base.c.reason, func.count().label("count"))
        .where(base.c.reason.is_not(None))
        .group_by(column, base.c.reason),
    )
    return _with_reasons(totals, reasons, [name])


def _label_order(frame: pd.DataFrame, column: str, order: list[str]) -> pd.DataFrame:
    rank = {value: i for i, value in enumerate(order)}
    key = frame[column].map(lambda value: rank.get(value, len(order)))
    return frame.assign(_rank=key).sort_values("_rank").drop(columns="_rank")


def fit_label_vs_reason(store: Store, since=None) -> pd.DataFrame:
    """Fit label at try-on against what came back.

    Columns: fit_label (too tight .. too loose, or ``no try-on``), sold,
    returned, return_rate, and one count per return reason.
    """
    label = func.coalesce(_tryons.c.fit_label, literal_column(f"'{NO_TRYON}'"))
    query = _sold_lines(since).add_columns(label.label("fit_label"))
    frame = _rates_of(store, query, "fit_label")
    return _label_order(frame, "fit_label", [*FIT_LABELS, NO_TRYON]).reset_index(
        drop=True
    )


def _score_band():
    whens = []
    lower = "0.0"
    for bound in FIT_SCORE_BANDS:
        name = f"'{lower}-{bound:.1f}'"
        whens.append(
            (_tryons.c.fit_score < literal_column(str(bound)), literal_column(name))
        )
        lower = f"{bound:.1f}"
    return case(
        (_tryons.c.fit_score.is_(None), literal_column(f"'{NO_TRYON}'")),
        *whens,
        else_=literal_column(f"'{lower}-1.0'"),
    )


def returns_by_fit_score(store: Store, since=None) -> pd.DataFrame:
    """Return rate by fit-score band of the try-on before the purchase.

    Columns: fit_score_band (``0.0-0.2`` .. ``0.8-1.0``, or ``no
    try-on``), sold, returned, return_rate, and one count per reason.
    """
    query = _sold_lines(since).add_columns(_score_band().label("fit_score_band"))
    frame = _rates_of(store, query, "fit_score_band")
    return frame.sort_values("fit_score_band", ignore_index=True)


def _tryon_conversion(since, group) -> Select:
    """Try-ons (grouped) and how many led to an order line."""
    converted = (
        select(_lines.c.tryon_id, func.count().label("lines"))
        .where(_lines.c.tryon_id.is_not(None))
        .group_by(_lines.c.tryon_id)
        .subquery()
    )
    query = (
        select(
            group,
            func.count(_tryons.c.id).label("tryons"),
            func.count(converted.c.tryon_id).label("purchased"),
        )
        .outerjoin(converted, converted.c.tryon_id == _tryons.c.id)
        .group_by(group)
    )
    start = _start(since)
    return query if start is None else query.where(_tryons.c.created_at >= start)


def conversion(store: Store, since=None) -> pd.DataFrame:
    """Conversion from try-on to purchase by garment, with a total row.

    A try-on converts when an order line is linked to it (the shopper's
    last try-on of that garment before buying it). Columns:
    garment_id (``all`` for the total), tryons, purchased, conversion.
    """
    frame = _frame(store, _tryon_conversion(since, _tryons.c.garment_id))
    frame = frame.sort_values("garment_id", ignore_index=True)
    total = pd.DataFrame(
        [
            {
                "garment_id": "all",
                "tryons": frame["tryons"].sum(),
                "purchased": frame["purchased"].sum(),
            }
        ]
    )
    frame = pd.concat([frame, total], ignore_index=True)
    frame["conversion"] = (frame["purchased"] / frame["tryons"].clip(lower=1)).round(4)
    return frame


def conversion_by_fit_label(store: Store, since=None) -> pd.DataFrame:
    """Conversion from try-on to purchase by the try-on's fit label.

    Columns: fit_label, tryons, purchased, conversion.
    """
    label = func.coalesce(_tryons.c.fit_label, literal_column("'unknown'"))
    frame = _frame(store, _tryon_conversion(since, label.label("fit_label")))
    frame["conversion"] = (frame["purchased"] / frame["tryons"].clip(lower=1)).round(4)
    return _label_order(frame, "fit_label", list(FIT_LABELS)).reset_index(drop=True)


def is_synthetic(store: Store) -> bool:
    """Whether the store holds synthetic events (reports then say so)."""
    return store.has_synthetic_events()
