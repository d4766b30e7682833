"""Alembic migrations of the event store (run by :mod:`tryon.store.migrate`)."""
