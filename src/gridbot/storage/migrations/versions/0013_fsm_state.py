"""fsm_state: conversation state (a chat's step and its draft as JSON text) in the database,
so that a restart keeps residents' reports in progress when REDIS_URL is not set; keyed as
aiogram keys its storage, with the age of each conversation for expiry

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fsm_states",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=False),
        sa.Column("business_connection_id", sa.String(length=128), nullable=False),
        sa.Column("destiny", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=255), nullable=True),
        sa.Column("data", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "bot_id",
            "chat_id",
            "user_id",
            "thread_id",
            "business_connection_id",
            "destiny",
            name=op.f("pk_fsm_states"),
        ),
    )
    with op.batch_alter_table("fsm_states", schema=None) as batch_op:
        batch_op.create_index("ix_fsm_states_updated_at", ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_table("fsm_states")
