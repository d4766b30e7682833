"""Stores on both backends for the store, recommendation and analytics tests.

SQLite: a file in a temporary folder. PostgreSQL: a schema of its own on
the server of ``TRYON_TEST_POSTGRES_URL`` (scripts/test.sh starts one).
Migration tests get an empty database (:func:`database_url`); the others
get a migrated, empty store (:func:`fresh_store`), made from a template
(SQLite) or a reused, emptied schema (PostgreSQL) to keep the suite
fast. Without that variable the PostgreSQL cases skip, except under
``CI=true`` where they fail.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tryon.store import Store, schema

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


# Migrated schemas not in use, for reuse by fresh_store (emptied first):
# migrating a new schema costs about half a second, emptying one a few
# milliseconds. Dropped when the test process ends.
_FREE_SCHEMAS: list[str] = []
_SQLITE_TEMPLATE: list[Path] = []
_TABLES = ", ".join(table.name for table in schema.metadata.sorted_tables)


def _drop_schemas(names: list[str]) -> None:
    if not names or not os.environ.get("TRYON_TEST_POSTGRES_URL"):
        return
    admin = create_engine(os.environ["TRYON_TEST_POSTGRES_URL"])
    with admin.begin() as connection:
        for name in names:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
    admin.dispose()


atexit.register(_drop_schemas, _FREE_SCHEMAS)


def _schema_url(base: str, name: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{name}"


@contextmanager
def _postgres_store() -> Iterator[Store]:
    base = postgres_url()
    if _FREE_SCHEMAS:
        name = _FREE_SCHEMAS.pop()
        store = Store(_schema_url(base, name))
        with store.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {_TABLES} RESTART IDENTITY CASCADE"))
    else:
        name = f"t_{secrets.token_hex(6)}"
        admin = create_engine(base)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {name}"))
        admin.dispose()
        store = Store(_schema_url(base, name))
    try:
        yield store
    finally:
        store.close()
        _FREE_SCHEMAS.append(name)


@contextmanager
def _sqlite_store(folder: Path) -> Iterator[Store]:
    if not _SQLITE_TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="tryon-store-template-")) / "t.db"
        Store(f"sqlite:///{template}").close()
        _SQLITE_TEMPLATE.append(template)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tryon-test.db"
    shutil.copyfile(_SQLITE_TEMPLATE[0], path)
    store = Store(f"sqlite:///{path}")
    try:
        yield store
    finally:
        store.close()


@contextmanager
def fresh_store(backend: str, folder: Path) -> Iterator[Store]:
    """A migrated, empty :class:`Store` on ``backend``.

    SQLite: a copy of a migrated template file in ``folder``.
    PostgreSQL: a migrated schema of its own, emptied.
    """
    if backend == "sqlite":
        with _sqlite_store(folder) as store:
            yield store
    else:
        with _postgres_store() as store:
            yield store
