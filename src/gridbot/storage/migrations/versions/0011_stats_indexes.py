"""statistics: cases indexed by created_at (a period's cases of the whole district), by
respond_by and by (grid_code, respond_by) (the cases whose response fell due in a period,
of the district or of a unit's grids); visits by due_at and care_visits by at (a
period's follow-ups and care visits). docs/metrics.md says which statement uses which.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASES = (
    ("ix_cases_created_at", ["created_at"]),
    ("ix_cases_respond_by", ["respond_by"]),
    ("ix_cases_grid_code_respond_by", ["grid_code", "respond_by"]),
)


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name, columns in CASES:
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index("ix_visits_due_at", ["due_at"], unique=False)
    with op.batch_alter_table("care_visits", schema=None) as batch_op:
        batch_op.create_index("ix_care_visits_at", ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("care_visits", schema=None) as batch_op:
        batch_op.drop_index("ix_care_visits_at")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_due_at")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name, _ in reversed(CASES):
            batch_op.drop_index(name)
