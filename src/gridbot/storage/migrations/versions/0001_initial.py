"""initial

Revision ID: 0001
Revises:
Create Date: 2026-11-22 04:08:26.883047
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# JSONB on PostgreSQL, JSON text on SQLite: as gridbot.storage.base.PortableJSON.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_sequences",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_case_sequences")),
    )
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("route_to", sa.String(length=32), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=True),
        sa.Column("respond_hours", sa.Float(), nullable=False),
        sa.Column("resolve_hours", sa.Float(), nullable=False),
        sa.Column("follow_up_days", sa.Float(), nullable=False),
        sa.Column("requires_evidence", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("code", name=op.f("uq_categories_code")),
    )
    op.create_table(
        "due_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_due_items")),
        sa.UniqueConstraint("kind", "ref", "due_at", name=op.f("uq_due_items_kind_ref_due_at")),
    )
    with op.batch_alter_table("due_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_due_items_done_at_claimed_by_due_at",
            ["done_at", "claimed_by", "due_at"],
            unique=False,
        )
        batch_op.create_index("ix_due_items_kind_ref", ["kind", "ref"], unique=False)

    op.create_table(
        "org_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("join_token", sa.String(length=64), nullable=True),
        sa.Column("bind_token", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["org_units.id"], name=op.f("fk_org_units_parent_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_units")),
        sa.UniqueConstraint("bind_token", name=op.f("uq_org_units_bind_token")),
        sa.UniqueConstraint("code", name=op.f("uq_org_units_code")),
        sa.UniqueConstraint("join_token", name=op.f("uq_org_units_join_token")),
    )
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_units_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_kind", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index("ix_outbox_status_not_before", ["status", "not_before"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("invite_code", sa.String(length=64), nullable=True),
        sa.Column("department", sa.String(length=64), nullable=True),
        sa.Column("blocked_bot", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("invite_code", name=op.f("uq_people_invite_code")),
        sa.UniqueConstraint("telegram_id", name=op.f("uq_people_telegram_id")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_phone"), ["phone"], unique=False)

    op.create_table(
        "care_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("grid_code", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("visit_interval_days", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("last_visit_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["grid_code"], ["org_units.code"], name=op.f("fk_care_people_grid_code_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["people.id"], name=op.f("fk_care_people_worker_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_people")),
    )
    with op.batch_alter_table("care_people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_care_people_grid_code"), ["grid_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_care_people_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("category_code", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("grid_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("department", sa.String(length=64), nullable=True),
        sa.Column("photos", JSON, nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("respond_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolve_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("affected_count", sa.Integer(), nullable=False),
        sa.Column("on_the_spot", sa.Boolean(), nullable=False),
        sa.Column("claimant_id", sa.Integer(), nullable=True),
        sa.Column("wanted_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["people.id"], name=op.f("fk_cases_assignee_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["category_code"], ["categories.code"], name=op.f("fk_cases_category_code_categories")
        ),
        sa.ForeignKeyConstraint(
            ["claimant_id"], ["people.id"], name=op.f("fk_cases_claimant_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["grid_code"], ["org_units.code"], name=op.f("fk_cases_grid_code_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["people.id"], name=op.f("fk_cases_reporter_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["org_units.code"], name=op.f("fk_cases_unit_code_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("number", name=op.f("uq_cases_number")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_assignee_id_status", ["assignee_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_cases_grid_code_created_at", ["grid_code", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_cases_reporter_id_created_at", ["reporter_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_cases_status_respond_by", ["status", "respond_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "chat_bindings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=True),
        sa.Column("bound_by", sa.Integer(), nullable=True),
        sa.Column("bound_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bound_by"], ["people.id"], name=op.f("fk_chat_bindings_bound_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_chat_bindings_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_bindings")),
        sa.UniqueConstraint("chat_id", name=op.f("uq_chat_bindings_chat_id")),
    )
    with op.batch_alter_table("chat_bindings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_bindings_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "role_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("on_duty", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_role_assignments_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_role_assignments_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_assignments")),
        sa.UniqueConstraint(
            "person_id", "role", "unit_id", name=op.f("uq_role_assignments_person_id_role_unit_id")
        ),
    )
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_assignments_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "care_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("care_person_id", sa.Integer(), nullable=False),
        sa.Column("visitor_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["care_person_id"],
            ["care_people.id"],
            name=op.f("fk_care_visits_care_person_id_care_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["visitor_id"], ["people.id"], name=op.f("fk_care_visits_visitor_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_visits")),
    )
    with op.batch_alter_table("care_visits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_care_visits_care_person_id"), ["care_person_id"], unique=False
        )

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("attachments", JSON, nullable=False),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["people.id"], name=op.f("fk_case_events_actor_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["people.id"], name=op.f("fk_case_events_assignee_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "points_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_points_entries_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_points_entries_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_entries")),
    )
    with op.batch_alter_table("points_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_points_entries_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("rated_by", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_ratings_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["rated_by"], ["people.id"], name=op.f("fk_ratings_rated_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
    )
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ratings_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ratings_case_id"), ["case_id"], unique=False)

    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("visitor_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_visits_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["visitor_id"], ["people.id"], name=op.f("fk_visits_visitor_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visits_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visits_visitor_id"), ["visitor_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visits_visitor_id"))
        batch_op.drop_index(batch_op.f("ix_visits_case_id"))

    op.drop_table("visits")
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ratings_case_id"))
        batch_op.drop_index(batch_op.f("ix_ratings_at"))

    op.drop_table("ratings")
    with op.batch_alter_table("points_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_points_entries_person_id"))

    op.drop_table("points_entries")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_events_case_id"))

    op.drop_table("case_events")
    with op.batch_alter_table("care_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_visits_care_person_id"))

    op.drop_table("care_visits")
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_assignments_unit_id"))

    op.drop_table("role_assignments")
    with op.batch_alter_table("chat_bindings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_bindings_unit_id"))

    op.drop_table("chat_bindings")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_unit_code"))
        batch_op.drop_index("ix_cases_status_respond_by")
        batch_op.drop_index("ix_cases_reporter_id_created_at")
        batch_op.drop_index("ix_cases_grid_code_created_at")
        batch_op.drop_index("ix_cases_assignee_id_status")

    op.drop_table("cases")
    with op.batch_alter_table("care_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_people_worker_id"))
        batch_op.drop_index(batch_op.f("ix_care_people_grid_code"))

    op.drop_table("care_people")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_phone"))
        batch_op.drop_index(batch_op.f("ix_people_name"))

    op.drop_table("people")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_status_not_before")
        batch_op.drop_index(batch_op.f("ix_outbox_chat_id"))

    op.drop_table("outbox")
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_units_parent_id"))

    op.drop_table("org_units")
    with op.batch_alter_table("due_items", schema=None) as batch_op:
        batch_op.drop_index("ix_due_items_kind_ref")
        batch_op.drop_index("ix_due_items_done_at_claimed_by_due_at")

    op.drop_table("due_items")
    op.drop_table("categories")
    op.drop_table("case_sequences")
