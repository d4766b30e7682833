"""Stores on both backends for the store, recommendation and analytics tests.

SQLite: a fresh file in a temporary folder. PostgreSQL: a fresh schema
on the server of ``TRYON_TEST_POSTGRES_URL`` (scripts/test.sh starts one),
dropped afterwards. Without that variable the PostgreSQL cases skip,
except under ``CI=true`` where they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tryon.store import Store

BACKENDS = ("sqlite", "postgres")


def postgres_url() -> str:
    """The test server's URL; skip (or fail under CI) when there is none."""
    url = os.environ.get("TRYON_TEST_POSTGRES_URL")
    if not url:
        message = "TRYON_TEST_POSTGRES_URL is not set (run scripts/start-postgres.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@contextmanager
def _postgres_schema() -> Iterator[str]:
    base = postgres_url()
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextmanager
def database_url(backend: str, folder: Path) -> Iterator[str]:
    """A URL of an empty database on ``backend`` ("sqlite" or "postgres")."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'tryon-test.db'}"
        return
    with _postgres_schema() as url:
        yield url


@contextmanager
def fresh_store(backend: str, folder: Path) -> Iterator[Store]:
    """A migrated, empty :class:`Store` on ``backend``."""
    with database_url(backend, folder) as url:
        store = Store(url)
        try:
            yield store
        finally:
            store.close()
