"""On simulated traffic, the analytics recover what the generator put in."""

from __future__ import annotations

import pandas as pd

from tests.analytics.conftest import END, SEED
from tests.recommend.catalog import garment_records
from tests.store.backends import fresh_store
from tryon import analytics
from tryon.simulate import simulate

TIGHT = ["too tight", "snug"]
LOOSE = ["relaxed", "too loose"]


def reasons_after(table: pd.DataFrame, labels: list[str]) -> pd.Series:
    rows = table[table["fit_label"].isin(labels)]
    return rows[["too small", "too large", "colour", "changed mind"]].sum()


def test_too_small_dominates_returns_after_a_tight_try_on(simulated):
    table = analytics.fit_label_vs_reason(simulated)
    tight, loose = reasons_after(table, TIGHT), reasons_after(table, LOOSE)
    # Among returns after a tight try-on "too small" is the top reason...
    assert tight.idxmax() == "too small"
    # ...and far more common than after a loose one (share of returns).
    tight_share = tight["too small"] / tight.sum()
    loose_share = loose["too small"] / loose.sum()
    assert tight_share > 3.0 * loose_share
    # The mirror image for loose try-ons.
    assert loose.idxmax() == "too large"


def test_returns_rise_as_the_fit_score_falls(simulated):
    table = analytics.returns_by_fit_score(simulated).set_index("fit_score_band")
    low = table.loc[["0.0-0.2", "0.2-0.4"], ["sold", "returned"]].sum()
    high = table.loc["0.8-1.0"]
    assert low["returned"] / low["sold"] > high["returned"] / high["sold"]


def test_conversion_is_highest_for_a_good_fit(simulated):
    table = analytics.conversion_by_fit_label(simulated)
    rates = dict(zip(table["fit_label"], table["conversion"], strict=True))
    assert rates["good"] == max(rates.values())
    assert rates["too tight"] < rates["good"] / 2


def test_totals_agree_between_reports(simulated):
    returns = analytics.return_rates(simulated)
    by_tryon = analytics.returns_by_tryon(simulated)
    by_reason = analytics.returns_by_reason(simulated)
    assert returns["sold"].sum() == by_tryon["sold"].sum()
    assert returns["returned"].sum() == by_tryon["returned"].sum()
    assert by_reason["returns"].sum() == returns["returned"].sum()


def test_same_answers_on_sqlite_and_postgres(tmp_path):
    tables = {}
    for backend in ("sqlite", "postgres"):
        with fresh_store(backend, tmp_path) as store:
            for record in garment_records(per_category=3):
                store.put_garment(record)
            simulate(store, shoppers=60, days=30, seed=SEED, end=END)
            tables[backend] = [
                analytics.return_rates(store),
                analytics.returns_by_reason(store),
                analytics.returns_by_tryon(store),
                analytics.fit_label_vs_reason(store),
                analytics.returns_by_fit_score(store),
                analytics.conversion(store),
                analytics.conversion_by_fit_label(store),
            ]
    for left, right in zip(tables["sqlite"], tables["postgres"], strict=True):
        pd.testing.assert_frame_equal(left, right, check_dtype=False)
