"""Rows of the organisation: units, people, roles held on units, categories, bound groups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.org import Category, GridKind, OrgUnit, Person, Role, RoleAssignment, UnitLevel
from gridbot.storage.base import Base, UTCDateTime


class OrgRevisionRow(Base):
    """One row: a counter that moves whenever a unit is saved, so that a process holding
    the org tree in memory knows when to read it again."""

    __tablename__ = "org_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(default=0)


class OrgUnitRow(Base):
    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    join_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    bind_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    def to_domain(self, parent_code: str | None) -> OrgUnit:
        return OrgUnit(
            code=self.code,
            name=self.name,
            level=UnitLevel(self.level),
            parent_code=parent_code,
            kind=GridKind(self.kind) if self.kind else None,
            join_token=self.join_token or "",
            bind_token=self.bind_token or "",
            id=self.id,
            name_en=self.name_en,
        )

    def apply(self, unit: OrgUnit, parent_id: int | None) -> None:
        self.code = unit.code
        self.name = unit.name
        self.name_en = unit.name_en
        self.level = unit.level
        self.parent_id = parent_id
        self.kind = unit.kind
        # Empty tokens become NULL so that the unique constraints allow many of them.
        self.join_token = unit.join_token or None
        self.bind_token = unit.bind_token or None


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    language: Mapped[str | None] = mapped_column(String(8))
    invite_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    department: Mapped[str | None] = mapped_column(String(64))
    blocked_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_domain(self) -> Person:
        return PersonRow.person_of(self)

    @staticmethod
    def person_of(row: Any) -> Person:
        """The person of a row object or of a result row holding the same columns (reads
        made for every update take Core rows: no ORM objects for rows read once)."""
        return Person(
            name=row.name,
            phone=row.phone,
            telegram_id=row.telegram_id,
            language=row.language,
            invite_code=row.invite_code,
            department=row.department,
            blocked_bot=row.blocked_bot,
            id=row.id,
            invited_at=row.invited_at,
        )

    def apply(self, person: Person) -> None:
        self.name = person.name
        self.phone = person.phone
        self.telegram_id = person.telegram_id
        self.language = person.language
        self.invite_code = person.invite_code
        self.department = person.department
        self.blocked_bot = person.blocked_bot
        self.invited_at = person.invited_at


class RoleAssignmentRow(Base):
    __tablename__ = "role_assignments"
    __table_args__ = (
        UniqueConstraint("person_id", "role", "unit_id"),
        # A unit's staff without its residents (hundreds to a grid): routing reads it.
        Index("ix_role_assignments_unit_id_role", "unit_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    on_duty: Mapped[bool] = mapped_column(Boolean, default=True)

    def to_domain(self, unit_code: str) -> RoleAssignment:
        return RoleAssignmentRow.assignment_of(self, unit_code)

    @staticmethod
    def assignment_of(row: Any, unit_code: str) -> RoleAssignment:
        """The assignment of a row object or of a result row with the same columns."""
        return RoleAssignment(
            person_id=row.person_id, role=Role(row.role), unit_code=unit_code, on_duty=row.on_duty
        )


class CategoryRow(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    route_to: Mapped[str] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(String(64))
    respond_hours: Mapped[float] = mapped_column(Float)
    resolve_hours: Mapped[float] = mapped_column(Float)
    follow_up_days: Mapped[float] = mapped_column(Float)
    requires_evidence: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def to_domain(self) -> Category:
        return Category(
            code=self.code,
            name=self.name,
            route_to=Role(self.route_to),
            department=self.department,
            respond_hours=self.respond_hours,
            resolve_hours=self.resolve_hours,
            follow_up_days=self.follow_up_days,
            requires_evidence=self.requires_evidence,
            active=self.active,
            name_en=self.name_en,
            id=self.id,
        )

    def apply(self, category: Category) -> None:
        self.code = category.code
        self.name = category.name
        self.name_en = category.name_en
        self.route_to = category.route_to
        self.department = category.department
        self.respond_hours = category.respond_hours
        self.resolve_hours = category.resolve_hours
        self.follow_up_days = category.follow_up_days
        self.requires_evidence = category.requires_evidence
        self.active = category.active


class ChatBindingRow(Base):
    __tablename__ = "chat_bindings"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    title: Mapped[str | None] = mapped_column(String(255))
    bound_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime)
    greeted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_domain(self, unit_code: str) -> ChatBinding:
        return ChatBindingRow.binding_of(self, unit_code)

    @staticmethod
    def binding_of(row: Any, unit_code: str) -> ChatBinding:
        """The binding of a row object or of a result row with the same columns."""
        return ChatBinding(
            chat_id=row.chat_id,
            unit_code=unit_code,
            kind=BindingKind(row.kind),
            bound_at=row.bound_at,
            title=row.title,
            bound_by=row.bound_by,
            active=row.active,
            greeted_at=row.greeted_at,
            id=row.id,
        )

    def apply(self, binding: ChatBinding, unit_id: int) -> None:
        self.chat_id = binding.chat_id
        self.unit_id = unit_id
        self.kind = binding.kind
        self.active = binding.active
        self.title = binding.title
        self.bound_by = binding.bound_by
        self.greeted_at = binding.greeted_at
        self.bound_at = binding.bound_at


class GridMoveRow(Base):
    """A resident's move to a grid by the grid picker: how often one person moves is limited
    (``gridpicker.MAX_MOVES``)."""

    __tablename__ = "grid_moves"
    __table_args__ = (Index("ix_grid_moves_person_id_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    unit_code: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
