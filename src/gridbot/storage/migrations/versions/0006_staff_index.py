"""role_assignments: index (unit_id, role) in place of (unit_id), so that a unit's staff is
read without its residents

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_role_assignments_unit_id_role", "role_assignments", ["unit_id", "role"], unique=False
    )
    op.drop_index("ix_role_assignments_unit_id", table_name="role_assignments")


def downgrade() -> None:
    op.create_index("ix_role_assignments_unit_id", "role_assignments", ["unit_id"], unique=False)
    op.drop_index("ix_role_assignments_unit_id_role", table_name="role_assignments")
