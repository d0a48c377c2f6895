"""patrols of grid workers (巡查), at most one open per person

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = sa.text("ended_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "patrols",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("grid_code", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hazards", sa.Integer(), nullable=False),
        sa.Column("fixed_on_spot", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grid_code"], ["org_units.code"], name=op.f("fk_patrols_grid_code_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_patrols_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrols")),
    )
    with op.batch_alter_table("patrols", schema=None) as batch_op:
        batch_op.create_index(
            "ix_patrols_grid_code_started_at", ["grid_code", "started_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_patrols_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "uq_patrols_open_person_id",
            ["person_id"],
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table("patrols", schema=None) as batch_op:
        batch_op.drop_index("uq_patrols_open_person_id")
        batch_op.drop_index(batch_op.f("ix_patrols_person_id"))
        batch_op.drop_index("ix_patrols_grid_code_started_at")
    op.drop_table("patrols")
