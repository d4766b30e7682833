"""Simulated traffic shared by the recommendation tests (SQLite).

The recommender reads the store through the same Core queries on both
backends (the store and analytics suites run those on PostgreSQL too);
training on one backend is enough here and keeps the suite fast.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.recommend.catalog import garment_records
from tests.store.backends import fresh_store
from tryon.recommend.evaluate import evaluate
from tryon.recommend.events import load_event_log
from tryon.simulate import simulate

# Fixed: the same traffic, model and metrics on every run.
SEED = 11
SHOPPERS = 400
END = datetime(2026, 6, 1)


@pytest.fixture(scope="package")
def traffic(tmp_path_factory):
    """A store with 48 garments and 400 simulated shoppers over 60 days."""
    folder = tmp_path_factory.mktemp("recommend")
    with fresh_store("sqlite", folder) as store:
        for record in garment_records():
            store.put_garment(record)
        simulate(store, shoppers=SHOPPERS, days=60, seed=SEED, end=END)
        yield store


@pytest.fixture(scope="package")
def evaluation(traffic):
    return evaluate(load_event_log(traffic), k=10, seed=0)
