"""``tryon report returns|fit|conversion``: the analysts' reports.

Each report prints its tables (headed "synthetic data" when the store
holds simulated events) and with ``--csv`` writes its main table, with
a ``data`` column saying ``synthetic`` or ``recorded``.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pandas as pd

from tryon import analytics
from tryon.errors import InputError
from tryon.settings import Settings
from tryon.store import Store, open_store

__all__ = ["run", "build_report"]


def _since(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--since must be a date YYYY-MM-DD, got {text!r}") from None


def _returns(store: Store, since: date | None) -> tuple[pd.DataFrame, dict]:
    extra = {
        "returns by reason": analytics.returns_by_reason(store, since),
        "returns with and without a try-on before the purchase": (
            analytics.returns_by_tryon(store, since)
        ),
    }
    return analytics.return_rates(store, since), extra


def _fit(store: Store, since: date | None) -> tuple[pd.DataFrame, dict]:
    labels = analytics.fit_label_vs_reason(store, since)
    bands = analytics.returns_by_fit_score(store, since)
    main = pd.concat(
        [
            labels.rename(columns={"fit_label": "value"}).assign(group="fit label"),
            bands.rename(columns={"fit_score_band": "value"}).assign(
                group="fit score band"
            ),
        ],
        ignore_index=True,
    )
    main = main[["group", "value", *labels.columns[1:]]]
    return main, {}


def _conversion(store: Store, since: date | None) -> tuple[pd.DataFrame, dict]:
    extra = {"conversion by fit label": analytics.conversion_by_fit_label(store, since)}
    return analytics.conversion(store, since), extra


_REPORTS = {
    "returns": ("return rate by garment and size", _returns),
    "fit": ("returns by fit label and fit score at try-on", _fit),
    "conversion": ("conversion from try-on to purchase by garment", _conversion),
}


def build_report(
    store: Store, kind: str, since: date | None = None
) -> tuple[str, pd.DataFrame, dict[str, pd.DataFrame]]:
    """The title, main table and further tables of a report."""
    title, build = _REPORTS[kind]
    main, extra = build(store, since)
    return title, main, extra


def _print(title: str, table: pd.DataFrame, synthetic: bool) -> None:
    label = " [synthetic data]" if synthetic else ""
    print(f"{title}{label}")
    print(table.to_string(index=False) if len(table) else "(no events)")
    print()


def run(args: argparse.Namespace, settings: Settings) -> int:
    since = _since(args.since)
    store = open_store(settings)
    synthetic = analytics.is_synthetic(store)
    title, main, extra = build_report(store, args.kind, since)
    period = f" since {since}" if since else ""
    _print(f"{title}{period}", main, synthetic)
    for name, table in extra.items():
        _print(f"{name}{period}", table, synthetic)
    if args.csv:
        data = "synthetic" if synthetic else "recorded"
        main.assign(data=data).to_csv(Path(args.csv), index=False)
        print(f"wrote {args.csv}")
    return 0
