"""Index try-ons and orders by shopper (per-shopper reads when serving).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tryons_shopper_id", "tryons", ["shopper_id"])
    op.create_index("ix_orders_shopper_id", "orders", ["shopper_id"])


def downgrade() -> None:
    op.drop_index("ix_orders_shopper_id", table_name="orders")
    op.drop_index("ix_tryons_shopper_id", table_name="tryons")
