"""Garments and their sizes, shoppers, try-ons, orders, returns, photos.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

RETURN_REASONS = (
    "too small",
    "too large",
    "not as pictured",
    "colour",
    "quality",
    "changed mind",
    "other",
)


def _create_catalog() -> None:
    op.create_table(
        "garments",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("fabric", sa.String(40)),
        sa.Column("colour", sa.String(7)),
        sa.Column("price", sa.Float),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("base_size", sa.String(20)),
        sa.Column("source_file", sa.Text),
        sa.Column("mesh_key", sa.String(128)),
        sa.Column("import_report", sa.JSON, nullable=False),
        sa.Column("extra", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_garments"),
    )
    op.create_table(
        "garment_sizes",
        sa.Column("garment_id", sa.String(64), nullable=False),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("chest_cm", sa.Float),
        sa.Column("waist_cm", sa.Float),
        sa.Column("hip_cm", sa.Float),
        sa.Column("length_cm", sa.Float),
        sa.Column("sleeve_cm", sa.Float),
        sa.Column("chart", sa.JSON),
        sa.PrimaryKeyConstraint("garment_id", "label", name="pk_garment_sizes"),
        sa.ForeignKeyConstraint(
            ["garment_id"],
            ["garments.id"],
            name="fk_garment_sizes_garment_id",
            ondelete="CASCADE",
        ),
    )


def _create_shoppers() -> None:
    op.create_table(
        "shoppers",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("photo_opt_in", sa.Boolean, nullable=False),
        sa.Column("measurements_cm", sa.JSON),
        sa.PrimaryKeyConstraint("id", name="pk_shoppers"),
    )


def _create_tryons() -> None:
    op.create_table(
        "tryons",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("shopper_id", sa.String(64), nullable=False),
        sa.Column("garment_id", sa.String(64), nullable=False),
        sa.Column("size", sa.String(20), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("height_cm", sa.Integer),
        sa.Column("chest_cm", sa.Integer),
        sa.Column("waist_cm", sa.Integer),
        sa.Column("hip_cm", sa.Integer),
        sa.Column("measurements_cm", sa.JSON),
        sa.Column("fit_score", sa.Float),
        sa.Column("recommended_size", sa.String(20)),
        sa.Column("fit_label", sa.String(12)),
        sa.Column("region_labels", sa.JSON),
        sa.Column("strain_p95", sa.Float),
        sa.Column("timings_ms", sa.JSON),
        sa.Column("total_ms", sa.Float),
        sa.PrimaryKeyConstraint("id", name="pk_tryons"),
        sa.ForeignKeyConstraint(
            ["shopper_id"], ["shoppers.id"], name="fk_tryons_shopper_id"
        ),
        sa.CheckConstraint("source IN ('photo', 'webcam')", name="ck_tryons_source"),
    )
    op.create_index("ix_tryons_garment_id", "tryons", ["garment_id"])
    op.create_index("ix_tryons_created_at", "tryons", ["created_at"])
    op.create_table(
        "shopper_photos",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("shopper_id", sa.String(64), nullable=False),
        sa.Column("tryon_id", sa.Integer),
        sa.Column("media_type", sa.String(40), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_shopper_photos"),
        sa.ForeignKeyConstraint(
            ["shopper_id"],
            ["shoppers.id"],
            name="fk_shopper_photos_shopper_id",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tryon_id"],
            ["tryons.id"],
            name="fk_shopper_photos_tryon_id",
            ondelete="CASCADE",
        ),
    )


def _create_orders() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("shopper_id", sa.String(64), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_orders"),
        sa.UniqueConstraint("idempotency_key", name="uq_orders_idempotency_key"),
        sa.ForeignKeyConstraint(
            ["shopper_id"], ["shoppers.id"], name="fk_orders_shopper_id"
        ),
    )
    op.create_index("ix_orders_created_at", "orders", ["created_at"])
    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer, nullable=False),
        sa.Column("garment_id", sa.String(64), nullable=False),
        sa.Column("size", sa.String(20), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("unit_price", sa.Float),
        sa.Column("tryon_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_order_lines"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name="fk_order_lines_order_id",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tryon_id"], ["tryons.id"], name="fk_order_lines_tryon_id"
        ),
    )
    op.create_index("ix_order_lines_order_id", "order_lines", ["order_id"])
    op.create_index("ix_order_lines_garment_id", "order_lines", ["garment_id"])


def _create_returns() -> None:
    reasons = ", ".join(f"'{reason}'" for reason in RETURN_REASONS)
    op.create_table(
        "returns",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("order_line_id", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_returns"),
        sa.UniqueConstraint("idempotency_key", name="uq_returns_idempotency_key"),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name="fk_returns_order_line_id"
        ),
        sa.CheckConstraint(f"reason IN ({reasons})", name="ck_returns_reason"),
    )
    op.create_index("ix_returns_order_line_id", "returns", ["order_line_id"])
    op.create_index("ix_returns_created_at", "returns", ["created_at"])


def upgrade() -> None:
    _create_catalog()
    _create_shoppers()
    _create_tryons()
    _create_orders()
    _create_returns()


def downgrade() -> None:
    for table in (
        "returns",
        "order_lines",
        "orders",
        "shopper_photos",
        "tryons",
        "shoppers",
        "garment_sizes",
        "garments",
    ):
        op.drop_table(table)
