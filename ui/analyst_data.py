"""The analyst's tables for one period, from ``tryon.analytics``.

The queries themselves live in ``tryon.analytics``; this module picks the
period's first day, calls them, and shapes their tables for the charts
(return rate by garment and by size are summed from the garment x size
table).

Note:
    ``tryon.analytics`` counts from a first day onwards (``since``); a
    period here therefore has a start and runs to the latest event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from tryon.errors import InputError

__all__ = ["PERIODS", "Report", "first_day", "build_report"]

# Period choices of the page -> days back from today (None: everything).
PERIODS: dict[str, int | None] = {
    "all time": None,
    "last 7 days": 7,
    "last 30 days": 30,
    "last 90 days": 90,
}


def first_day(period: str, since: str | None, today: date | None = None) -> date | None:
    """The first day counted: the typed day if any, else the period's.

    Args:
        period: a key of :data:`PERIODS`.
        since: a YYYY-MM-DD day typed by the analyst, or empty.
        today: the day the period ends (default: today).

    Raises:
        InputError: the typed day is malformed or the period unknown.
    """
    if since and since.strip():
        try:
            return date.fromisoformat(since.strip())
        except ValueError:
            raise InputError(
                f"from date {since.strip()!r} is not YYYY-MM-DD; "
                "write it like 2026-01-31"
            ) from None
    if period not in PERIODS:
        raise InputError(f"period {period!r} is unknown; pick one from the list")
    days = PERIODS[period]
    if days is None:
        return None
    return (today or date.today()) - timedelta(days=days - 1)


@dataclass(frozen=True)
class Report:
    """What the analyst's page shows for one period.

    Attributes:
        figures: try-ons, order lines, conversion, return rate.
        synthetic: whether the store holds simulated traffic.
        tables: name -> DataFrame, for the charts and the CSV export.
    """

    figures: dict[str, float]
    synthetic: bool
    tables: dict[str, pd.DataFrame]


def _rate_by(rates: pd.DataFrame, column: str) -> pd.DataFrame:
    """sold, returned and return_rate summed over the other key."""
    if rates.empty:
        return pd.DataFrame(
            {column: pd.Series(dtype=str), "sold": [], "return_rate": []}
        )
    summed = rates.groupby(column, as_index=False)[["sold", "returned"]].sum()
    summed["return_rate"] = summed["returned"] / summed["sold"].clip(lower=1)
    return summed.astype({column: str, "return_rate": float})


def _figures(conversion: pd.DataFrame, by_tryon: pd.DataFrame) -> dict[str, float]:
    total = conversion[conversion["garment_id"] == "all"]
    tryons = float(total["tryons"].sum()) if not total.empty else 0.0
    sold = float(by_tryon["sold"].sum()) if not by_tryon.empty else 0.0
    returned = float(by_tryon["returned"].sum()) if not by_tryon.empty else 0.0
    return {
        "try-ons": tryons,
        "order lines": sold,
        "conversion": float(total["conversion"].iloc[0]) if tryons else math.nan,
        "return rate": returned / sold if sold else math.nan,
    }


def _numeric(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The key as text and the rates as floats, as the bar plots need."""
    frame = frame.copy()
    frame[key] = frame[key].astype(str)
    for column in ("return_rate", "conversion"):
        if column in frame:
            frame[column] = frame[column].astype(float)
    return frame


def build_report(store: Any, since: date | None) -> Report:
    """Every table of the analyst's page, counted from ``since``.

    Args:
        store: a ``tryon.store.Store``.
        since: the first day counted, or None for everything.
    """
    from tryon import analytics

    rates = analytics.return_rates(store, since)
    by_tryon = analytics.returns_by_tryon(store, since)
    conversion = analytics.conversion(store, since)
    tables = {
        "return_rate_by_garment": _rate_by(rates, "garment_id"),
        "return_rate_by_size": _rate_by(rates, "size"),
        "returns_by_reason": _numeric(
            analytics.returns_by_reason(store, since), "reason"
        ),
        "fit_label_vs_reason": _numeric(
            analytics.fit_label_vs_reason(store, since), "fit_label"
        ),
        "returns_by_fit_score": _numeric(
            analytics.returns_by_fit_score(store, since), "fit_score_band"
        ),
        "returns_by_tryon": _numeric(by_tryon, "tryon"),
        "conversion": conversion,
        "return_rates": rates,
    }
    return Report(
        figures=_figures(conversion, by_tryon),
        synthetic=analytics.is_synthetic(store),
        tables=tables,
    )
