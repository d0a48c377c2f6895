"""Rows of cases: the case itself, its audit trail, ratings, follow-up visits, numbering."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from gridbot.domain.case import (
    Case,
    CaseEvent,
    CaseKind,
    CaseLevel,
    CaseStatus,
    FollowUpOutcome,
    Location,
    Priority,
    Rating,
    RatingValue,
    Visit,
)
from gridbot.storage.base import Base, PortableJSON, UTCDateTime

# Case fields stored as they are (no enum or value-object conversion).
PLAIN_CASE_FIELDS = (
    "number", "category_code", "text", "reporter_id", "grid_code", "created_at",
    "assignee_id", "department", "public", "anonymous", "source_chat_id", "respond_by",
    "resolve_by", "accepted_at", "resolved_at", "closed_at", "updated_at", "reopen_count",
    "affected_count", "on_the_spot", "claimant_id", "wanted_by", "claim_expires_at",
)  # fmt: skip


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_grid_code_created_at", "grid_code", "created_at"),
        Index("ix_cases_status_respond_by", "status", "respond_by"),
        Index("ix_cases_status_resolve_by", "status", "resolve_by"),  # /overdue (0009)
        Index("ix_cases_assignee_id_status", "assignee_id", "status"),
        Index("ix_cases_reporter_id_created_at", "reporter_id", "created_at"),
        # The statistics (0011): a period's cases of the whole district, and the cases
        # whose response fell due in it, of a unit's grids or of the district.
        Index("ix_cases_created_at", "created_at"),
        Index("ix_cases_respond_by", "respond_by"),
        Index("ix_cases_grid_code_respond_by", "grid_code", "respond_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    text: Mapped[str] = mapped_column(Text)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    grid_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"), index=True)
    priority: Mapped[str] = mapped_column(String(16))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    department: Mapped[str | None] = mapped_column(String(64))
    photos: Mapped[list[str]] = mapped_column(PortableJSON, default=list)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(500))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    respond_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    affected_count: Mapped[int] = mapped_column(Integer, default=0)
    on_the_spot: Mapped[bool] = mapped_column(Boolean, default=False)
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    wanted_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_domain(self) -> Case:
        plain: dict[str, Any] = {name: getattr(self, name) for name in PLAIN_CASE_FIELDS}
        return Case(
            **plain,
            kind=CaseKind(self.kind),
            status=CaseStatus(self.status),
            level=CaseLevel(self.level),
            unit_code=self.unit_code or "",
            priority=Priority(self.priority),
            photos=list(self.photos or []),
            location=self._location(),
            id=self.id,
        )

    def apply(self, case: Case) -> None:
        for name in PLAIN_CASE_FIELDS:
            setattr(self, name, getattr(case, name))
        self.kind = case.kind
        self.status = case.status
        self.level = case.level
        self.unit_code = case.unit_code or None
        self.priority = case.priority
        self.photos = list(case.photos)
        location = case.location or Location()
        self.latitude = location.latitude
        self.longitude = location.longitude
        self.address = location.address

    def _location(self) -> Location | None:
        if self.latitude is None and self.longitude is None and self.address is None:
            return None
        return Location(latitude=self.latitude, longitude=self.longitude, address=self.address)


class CaseEventRow(Base):
    __tablename__ = "case_events"
    # Urges (督办) of a period, counted for a unit's statistics (0009).
    __table_args__ = (Index("ix_case_events_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[str]] = mapped_column(PortableJSON, default=list)
    level: Mapped[str | None] = mapped_column(String(16))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    @staticmethod
    def values_of(event: CaseEvent) -> dict[str, Any]:
        """The row's columns (all but ``id``) for an INSERT of ``event``."""
        return {
            "case_id": event.case_id,
            "action": event.action,
            "actor_id": event.actor_id,
            "at": event.at,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "note": event.note,
            "attachments": list(event.attachments),
            "level": event.level,
            "assignee_id": event.assignee_id,
        }

    def to_domain(self) -> CaseEvent:
        return CaseEvent(
            case_id=self.case_id,
            action=self.action,
            actor_id=self.actor_id,
            at=self.at,
            from_status=CaseStatus(self.from_status) if self.from_status else None,
            to_status=CaseStatus(self.to_status),
            note=self.note,
            attachments=tuple(self.attachments or ()),
            level=CaseLevel(self.level) if self.level else None,
            assignee_id=self.assignee_id,
            id=self.id,
        )


class RatingRow(Base):
    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(String(32))
    rated_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    comment: Mapped[str | None] = mapped_column(Text)

    @classmethod
    def from_domain(cls, rating: Rating) -> RatingRow:
        return cls(
            case_id=rating.case_id,
            value=rating.value,
            rated_by=rating.rated_by,
            at=rating.at,
            comment=rating.comment,
        )

    def to_domain(self) -> Rating:
        return Rating(
            case_id=self.case_id,
            value=RatingValue(self.value),
            rated_by=self.rated_by,
            at=self.at,
            comment=self.comment,
            id=self.id,
        )


class VisitRow(Base):
    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    visitor_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # a period's (0011)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

    def to_domain(self) -> Visit:
        return Visit(
            case_id=self.case_id,
            visitor_id=self.visitor_id,
            due_at=self.due_at,
            done_at=self.done_at,
            outcome=FollowUpOutcome(self.outcome) if self.outcome else None,
            note=self.note,
            id=self.id,
        )

    def apply(self, visit: Visit) -> None:
        self.case_id = visit.case_id
        self.visitor_id = visit.visitor_id
        self.due_at = visit.due_at
        self.done_at = visit.done_at
        self.outcome = visit.outcome
        self.note = visit.note


class CaseSequenceRow(Base):
    """The last case number handed out in a year; bumped inside the writing transaction."""

    __tablename__ = "case_sequences"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)


class CaseAffectedRow(Base):
    """A neighbour who said "same problem here" (同样问题) about a public case: one per account."""

    __tablename__ = "case_affected"
    __table_args__ = (UniqueConstraint("case_id", "telegram_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
