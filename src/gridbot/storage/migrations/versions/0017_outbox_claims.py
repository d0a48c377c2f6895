"""outbox.claimed_by, outbox.claimed_until: on PostgreSQL every bot process delivers the
outbox, each the chats whose pending rows it claimed (issue 12); a claim lasts until
``claimed_until`` unless its process renews it

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


PENDING = sa.text("status = 'pending'")
INDEXES = (
    ("ix_outbox_pending_id", "id"),
    ("ix_outbox_pending_chat", "chat_id"),
    ("ix_outbox_pending_claims", "claimed_until"),
)


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
    # The pending rows alone, in id order, by chat and by claim: what the senders read.
    for name, column in INDEXES:
        op.create_index(name, "outbox", [column], postgresql_where=PENDING, sqlite_where=PENDING)


def downgrade() -> None:
    for name, _ in INDEXES:
        op.drop_index(name, table_name="outbox")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claimed_by")
