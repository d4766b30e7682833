"""Engines for the event store: SQLite tuned for an app, or PostgreSQL.

SQLite connections get WAL journaling (readers do not block the
writer), a busy timeout (a second writer waits instead of failing) and
foreign keys. Python's sqlite3 module is put in autocommit mode and the
engine emits ``BEGIN`` itself, so that SQLAlchemy's transactions are
real SQLite transactions; a connection with the execution option
``sqlite_write=True`` begins with ``BEGIN IMMEDIATE`` and so takes the
write lock up front (no lock upgrade that could fail half-way).
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["make_engine", "BUSY_TIMEOUT_MS"]

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 15_000


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    # Autocommit at the driver level; BEGIN is emitted by _on_sqlite_begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_sqlite_begin(connection) -> None:
    write = connection.get_execution_options().get("sqlite_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///...`` or ``postgresql+psycopg://``).

    Args:
        url: SQLAlchemy database URL.

    Returns:
        The engine; SQLite engines carry the connection settings of the
        module docstring.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000.0})
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    logger.debug("SQLite store at %s", parsed.database)
    return engine
