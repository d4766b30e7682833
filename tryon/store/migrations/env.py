"""Alembic environment: runs on the connection handed over in code.

:func:`tryon.store.migrate.upgrade` puts an open connection into
``config.attributes["connection"]``; there is no alembic.ini and no
offline (SQL script) mode.
"""

from __future__ import annotations

from alembic import context

from tryon.store.schema import metadata


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise NotImplementedError(
            "run tryon's migrations through tryon.store.migrate, not the alembic CLI"
        )
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


_run()
