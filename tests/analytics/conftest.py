"""Stores for the analytics tests, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.recommend.catalog import garment_records
from tests.store.backends import BACKENDS, fresh_store
from tryon.simulate import simulate

# Fixed so that the simulated traffic, and so every figure, is the same
# on every run and on both backends.
SEED = 7
END = datetime(2026, 6, 1)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


@pytest.fixture(scope="module", params=BACKENDS)
def simulated(request, tmp_path_factory):
    """A store with the test catalog and 250 shoppers over 60 days."""
    folder = tmp_path_factory.mktemp(f"simulated-{request.param}")
    with fresh_store(request.param, folder) as opened:
        for record in garment_records():
            opened.put_garment(record)
        simulate(opened, shoppers=250, days=60, seed=SEED, end=END)
        yield opened
