"""The analytics queries on a handful of events whose answers are known."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from tryon import analytics

T0 = datetime(2026, 5, 1, 10, 0)
T1 = T0 + timedelta(days=10)


def fit(label: str, score: float) -> dict:
    return {"score": score, "regions": {"chest": {"label": label}}}


def line(store, key: str):
    return store.get_order(key).lines[0].id


@pytest.fixture()
def events(store):
    """Five shoppers:

    a: tries tee M (too tight, 0.3), buys it, returns it as too small;
    b: tries tee L (good, 0.9), buys and keeps it;
    c: buys tee M without a try-on, returns it (changed mind);
    d: tries skirt S (relaxed, 0.7), does not buy;
    e: buys skirt S ten days later without a try-on and keeps it.
    """
    minutes = timedelta(minutes=5)
    store.record_tryon("a", "tee", "M", fit=fit("too tight", 0.3), created_at=T0)
    store.record_order(
        "a", [{"garment_id": "tee", "size": "M"}], "oa", created_at=T0 + minutes
    )
    store.record_return(
        line(store, "oa"), "too small", "ra", created_at=T0 + 3 * minutes
    )
    store.record_tryon("b", "tee", "L", fit=fit("good", 0.9), created_at=T0)
    store.record_order(
        "b", [{"garment_id": "tee", "size": "L"}], "ob", created_at=T0 + minutes
    )
    store.record_order("c", [{"garment_id": "tee", "size": "M"}], "oc", created_at=T0)
    store.record_return(
        line(store, "oc"), "changed mind", "rc", created_at=T0 + minutes
    )
    store.record_tryon("d", "skirt", "S", fit=fit("relaxed", 0.7), created_at=T0)
    store.record_order("e", [{"garment_id": "skirt", "size": "S"}], "oe", created_at=T1)
    return store


def pick(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(row) for row in frame[columns].itertuples(index=False)]


def test_return_rates_by_garment_and_size(events):
    table = analytics.return_rates(events)
    columns = ["garment_id", "size", "sold", "returned", "return_rate"]
    assert pick(table, columns) == [
        ("skirt", "S", 1, 0, 0.0),
        ("tee", "L", 1, 0, 0.0),
        ("tee", "M", 2, 2, 1.0),
    ]
    assert pick(table, ["too small", "changed mind", "colour"]) == [
        (0, 0, 0),
        (0, 0, 0),
        (1, 1, 0),
    ]


def test_since_counts_orders_from_that_day(events):
    table = analytics.return_rates(events, since=T1.date())
    assert pick(table, ["garment_id", "size", "sold"]) == [("skirt", "S", 1)]
    assert analytics.return_rates(events, since="2030-01-01").empty


def test_returns_by_reason(events):
    table = analytics.returns_by_reason(events)
    counts = dict(zip(table["reason"], table["returns"], strict=True))
    assert counts["too small"] == 1 and counts["changed mind"] == 1
    assert sum(counts.values()) == 2
    assert table.loc[table["reason"] == "too small", "share"].item() == 0.5


def test_returns_with_and_without_try_on(events):
    table = analytics.returns_by_tryon(events)
    assert pick(table, ["tryon", "sold", "returned", "return_rate"]) == [
        ("with try-on", 2, 1, 0.5),
        ("without try-on", 2, 1, 0.5),
    ]


def test_fit_label_against_return_reason(events):
    table = analytics.fit_label_vs_reason(events)
    columns = ["fit_label", "sold", "returned", "too small", "changed mind"]
    assert pick(table, columns) == [
        ("too tight", 1, 1, 1, 0),
        ("good", 1, 0, 0, 0),
        ("no try-on", 2, 1, 0, 1),
    ]


def test_return_rate_by_fit_score_band(events):
    table = analytics.returns_by_fit_score(events)
    assert pick(table, ["fit_score_band", "sold", "returned"]) == [
        ("0.2-0.4", 1, 1),
        ("0.8-1.0", 1, 0),
        ("no try-on", 2, 1),
    ]


def test_conversion_from_try_on_to_purchase(events):
    table = analytics.conversion(events)
    assert pick(table, ["garment_id", "tryons", "purchased", "conversion"]) == [
        ("skirt", 1, 0, 0.0),
        ("tee", 2, 2, 1.0),
        ("all", 3, 2, 0.6667),
    ]
    by_label = analytics.conversion_by_fit_label(events)
    assert pick(by_label, ["fit_label", "tryons", "purchased"]) == [
        ("too tight", 1, 1),
        ("good", 1, 1),
        ("relaxed", 1, 0),
    ]


def test_empty_store_gives_empty_tables(store):
    assert analytics.return_rates(store).empty
    assert analytics.fit_label_vs_reason(store).empty
    assert analytics.returns_by_reason(store)["returns"].sum() == 0
    assert pick(analytics.conversion(store), ["garment_id", "tryons"]) == [("all", 0)]
