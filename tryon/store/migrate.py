"""Schema migrations of the event store, run from code.

The Alembic scripts live in the package (``tryon/store/migrations``)
and run on a connection handed over in code, so an installed tryon
migrates its database without an ``alembic.ini``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

__all__ = ["upgrade", "downgrade", "current_revision", "head_revision"]

logger = logging.getLogger(__name__)

# Alembic announces every step at INFO; an app opening its store does
# not need that on stderr.
logging.getLogger("alembic").setLevel(logging.WARNING)

# Key of the PostgreSQL advisory lock held while migrating.
LOCK_KEY = 7_301_946

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest revision the package ships."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _run(engine: Engine, action, revision: str) -> None:
    # One migrator at a time: SQLite's write lock taken by BEGIN
    # IMMEDIATE, PostgreSQL's transaction-scoped advisory lock.
    config = _config()
    with engine.connect() as connection:
        connection = connection.execution_options(sqlite_write=True)
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY}
                )
            config.attributes["connection"] = connection
            action(config, revision)
    logger.info("store schema at revision %s", current_revision(engine))


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to ``revision`` (default: the newest)."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the database back to ``revision`` (default: empty)."""
    _run(engine, command.downgrade, revision)
