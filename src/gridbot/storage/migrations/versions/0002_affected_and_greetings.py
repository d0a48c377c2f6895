"""neighbours affected by a case; when a group last greeted its new members

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_affected",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_affected_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_affected")),
        sa.UniqueConstraint(
            "case_id", "telegram_user_id", name=op.f("uq_case_affected_case_id_telegram_user_id")
        ),
    )
    with op.batch_alter_table("case_affected", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_affected_case_id"), ["case_id"], unique=False)
    with op.batch_alter_table("chat_bindings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("greeted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chat_bindings", schema=None) as batch_op:
        batch_op.drop_column("greeted_at")
    with op.batch_alter_table("case_affected", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_affected_case_id"))
    op.drop_table("case_affected")
