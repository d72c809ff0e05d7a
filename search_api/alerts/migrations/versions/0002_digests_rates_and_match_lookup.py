"""Daily digests, per-owner delivery rate windows, and the matches' record lookup.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("digest", sa.String(length=10), server_default="none", nullable=False)
        )
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_id", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_matches_digest_id"), ["digest_id"], unique=False)
        batch_op.create_index(
            "ix_matches_record_id", ["record_id", "subscription_id"], unique=False
        )
    op.create_table(
        "owner_rates",
        sa.Column("owner_id", sa.String(length=40), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["owners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("owner_id", "window_start"),
    )


def downgrade() -> None:
    op.drop_table("owner_rates")
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_index("ix_matches_record_id")
        batch_op.drop_index(batch_op.f("ix_matches_digest_id"))
        batch_op.drop_column("digest_id")
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("digest")
