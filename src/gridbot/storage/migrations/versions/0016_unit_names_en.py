"""org_units.name_en: a unit's English name, read by English-speaking people (issue 13);
units already stored have none and are shown by their (Chinese) name until the org file
gives one

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_en", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.drop_column("name_en")
