"""The event store: garment catalog metadata, shoppers and their events.

SQLAlchemy Core over SQLite (default, WAL) or PostgreSQL, schema
managed by Alembic migrations shipped in the package.
"""

from tryon.store import schema
from tryon.store.bulk import BulkEvents, BulkOrder, BulkReturn
from tryon.store.errors import InvalidEvent
from tryon.store.migrate import current_revision, downgrade, head_revision, upgrade
from tryon.store.records import OrderLine, OrderRecord, ReturnRecord
from tryon.store.store import Store, open_store, utc_now
from tryon.store.vocab import (
    CATEGORIES,
    FIT_LABELS,
    RETURN_REASONS,
    SOURCES,
    overall_fit_label,
)

__all__ = [
    "schema",
    "Store",
    "open_store",
    "utc_now",
    "InvalidEvent",
    "BulkEvents",
    "BulkOrder",
    "BulkReturn",
    "OrderLine",
    "OrderRecord",
    "ReturnRecord",
    "FIT_LABELS",
    "RETURN_REASONS",
    "SOURCES",
    "CATEGORIES",
    "overall_fit_label",
    "upgrade",
    "downgrade",
    "current_revision",
    "head_revision",
]
