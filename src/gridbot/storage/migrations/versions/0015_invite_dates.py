"""people.invited_at: when an org file's invite code was made, so that it expires (issue
11); codes already handed out are dated now, and so lapse a full validity from today

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE people SET invited_at = CURRENT_TIMESTAMP "
        "WHERE invite_code IS NOT NULL AND telegram_id IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("invited_at")
