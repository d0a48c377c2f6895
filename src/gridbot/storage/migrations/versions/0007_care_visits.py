"""care visits (走访): a care person's category (in place of the free-text reason), ledger
ref, when they were added, when their next visit falls due, removal; a visit's outcome,
photo and the case raised on the spot

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = (
    "elderly_alone",
    "empty_nest",
    "disabled",
    "left_behind_child",
    "seriously_ill",
    "low_income",
    "other",
)
_people = sa.table(
    "care_people",
    sa.column("id", sa.Integer()),
    sa.column("reason", sa.String()),
    sa.column("category", sa.String()),
    sa.column("visit_interval_days", sa.Integer()),
    sa.column("last_visit_at", sa.DateTime(timezone=True)),
    sa.column("added_at", sa.DateTime(timezone=True)),
    sa.column("next_visit_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("care_people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("category", sa.String(length=32), nullable=False, server_default="other")
        )
        batch_op.add_column(sa.Column("added_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("next_visit_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("ref", sa.String(length=64), nullable=True))
    _fill_people()
    with op.batch_alter_table("care_people", schema=None) as batch_op:
        batch_op.alter_column("category", server_default=None)
        batch_op.alter_column("added_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.drop_column("reason")
        batch_op.create_index(batch_op.f("ix_care_people_next_visit_at"), ["next_visit_at"])
        batch_op.create_unique_constraint(batch_op.f("uq_care_people_ref"), ["ref"])

    with op.batch_alter_table("care_visits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome", sa.String(length=16), nullable=False, server_default="normal")
        )
        batch_op.add_column(sa.Column("photo", sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_care_visits_case_id_cases"),
            "cases",
            ["case_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("care_visits", schema=None) as batch_op:
        batch_op.alter_column("outcome", server_default=None)


def _fill_people() -> None:
    """A category from the old reason where it names one; added now, or at the last visit;
    the next visit counted from there (in UTC days: the zone is the bot's setting)."""
    connection = op.get_bind()
    now = datetime.now(UTC)
    rows = connection.execute(
        sa.select(
            _people.c.id,
            _people.c.reason,
            _people.c.visit_interval_days,
            _people.c.last_visit_at,
        ).order_by(_people.c.id)
    ).all()
    for row in rows:
        since = _aware(row.last_visit_at) or now
        connection.execute(
            _people.update()
            .where(_people.c.id == row.id)
            .values(
                category=row.reason if row.reason in CATEGORIES else "other",
                added_at=since,
                next_visit_at=since + timedelta(days=row.visit_interval_days or 7),
            )
        )


def _aware(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def downgrade() -> None:
    with op.batch_alter_table("care_visits", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_care_visits_case_id_cases"), type_="foreignkey")
        batch_op.drop_column("case_id")
        batch_op.drop_column("photo")
        batch_op.drop_column("outcome")

    with op.batch_alter_table("care_people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reason", sa.String(length=200), nullable=False, server_default="other")
        )
    connection = op.get_bind()
    connection.execute(_people.update().values(reason=_people.c.category))
    with op.batch_alter_table("care_people", schema=None) as batch_op:
        batch_op.alter_column("reason", server_default=None)
        batch_op.drop_constraint(batch_op.f("uq_care_people_ref"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_care_people_next_visit_at"))
        batch_op.drop_column("ref")
        batch_op.drop_column("removed_at")
        batch_op.drop_column("next_visit_at")
        batch_op.drop_column("added_at")
        batch_op.drop_column("category")
