"""Every store test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.store.backends import BACKENDS, database_url, fresh_store


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture()
def store(backend, tmp_path):
    with fresh_store(backend, tmp_path) as opened:
        yield opened


@pytest.fixture()
def empty_url(backend, tmp_path):
    with database_url(backend, tmp_path) as url:
        yield url
