"""Tables of the event store (SQLAlchemy Core).

The tables are created and changed only by the Alembic migrations in
``tryon/store/migrations``; this module describes the current head for
the queries. A test checks that the two agree.

Times are naive UTC ``DateTime`` values on every backend. Garment ids
in events are plain strings, not foreign keys, so that removing a
garment from the catalog keeps its history.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from tryon.store.vocab import RETURN_REASONS

__all__ = [
    "metadata",
    "garments",
    "garment_sizes",
    "shoppers",
    "shopper_photos",
    "tryons",
    "orders",
    "order_lines",
    "returns",
]

# Deterministic constraint names, the same as the migrations give.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

RETURN_REASON_CHECK = "reason IN ({})".format(
    ", ".join(f"'{reason}'" for reason in RETURN_REASONS)
)

garments = Table(
    "garments",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("category", String(20), nullable=False),
    Column("fabric", String(40)),
    Column("colour", String(7)),
    Column("price", Float),
    Column("tags", JSON, nullable=False),
    Column("base_size", String(20)),
    Column("source_file", Text),
    Column("mesh_key", String(128)),
    Column("import_report", JSON, nullable=False),
    Column("extra", JSON, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# One row per size label, in the order of the garment's size list; the
# size chart row of that size (cm) both as columns and as given.
garment_sizes = Table(
    "garment_sizes",
    metadata,
    Column(
        "garment_id",
        String(64),
        ForeignKey("garments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("label", String(20), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("chest_cm", Float),
    Column("waist_cm", Float),
    Column("hip_cm", Float),
    Column("length_cm", Float),
    Column("sleeve_cm", Float),
    Column("chart", JSON),
)

shoppers = Table(
    "shoppers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("photo_opt_in", Boolean, nullable=False),
    Column("measurements_cm", JSON),
)

tryons = Table(
    "tryons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "shopper_id",
        String(64),
        ForeignKey("shoppers.id"),
        nullable=False,
        index=True,
    ),
    Column("garment_id", String(64), nullable=False, index=True),
    Column("size", String(20), nullable=False),
    Column("source", String(10), nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("height_cm", Integer),
    Column("chest_cm", Integer),
    Column("waist_cm", Integer),
    Column("hip_cm", Integer),
    Column("measurements_cm", JSON),
    Column("fit_score", Float),
    Column("recommended_size", String(20)),
    Column("fit_label", String(12)),
    Column("region_labels", JSON),
    Column("strain_p95", Float),
    Column("timings_ms", JSON),
    Column("total_ms", Float),
    CheckConstraint("source IN ('photo', 'webcam')", name="ck_tryons_source"),
)

# Only for shoppers who opted in; nothing is written here otherwise.
shopper_photos = Table(
    "shopper_photos",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "shopper_id",
        String(64),
        ForeignKey("shoppers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("tryon_id", Integer, ForeignKey("tryons.id", ondelete="CASCADE")),
    Column("media_type", String(40), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column(
        "shopper_id",
        String(64),
        ForeignKey("shoppers.id"),
        nullable=False,
        index=True,
    ),
    Column("synthetic", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False, index=True),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "order_id",
        Integer,
        ForeignKey("orders.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("garment_id", String(64), nullable=False, index=True),
    Column("size", String(20), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Float),
    # The shopper's last try-on of this garment before the order, if any.
    Column("tryon_id", Integer, ForeignKey("tryons.id")),
)

returns = Table(
    "returns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column(
        "order_line_id",
        Integer,
        ForeignKey("order_lines.id"),
        nullable=False,
        index=True,
    ),
    Column("reason", String(20), nullable=False),
    Column("note", Text, nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False, index=True),
    CheckConstraint(RETURN_REASON_CHECK, name="ck_returns_reason"),
)
