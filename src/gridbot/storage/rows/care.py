"""Rows of key residents (重点人群), their visits, and points."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gridbot.domain.care import CareCategory, CarePerson, CareVisit, PointsEntry, VisitOutcome
from gridbot.storage.base import Base, UTCDateTime


class CarePersonRow(Base):
    __tablename__ = "care_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    grid_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    worker_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    visit_interval_days: Mapped[int] = mapped_column(Integer, default=7)
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(32))
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)

    def to_domain(self) -> CarePerson:
        return CarePerson(
            name=self.name,
            grid_code=self.grid_code,
            category=CareCategory(self.category),
            worker_id=self.worker_id,
            visit_interval_days=self.visit_interval_days,
            address=self.address,
            phone=self.phone,
            last_visit_at=self.last_visit_at,
            added_at=self.added_at,
            next_visit_at=self.next_visit_at,
            removed_at=self.removed_at,
            ref=self.ref,
            id=self.id,
        )

    def apply(self, person: CarePerson) -> None:
        if person.added_at is None:
            raise ValueError("a care person is saved with the time it was added")
        self.name = person.name
        self.grid_code = person.grid_code
        self.category = person.category.value
        self.worker_id = person.worker_id
        self.visit_interval_days = person.visit_interval_days
        self.address = person.address
        self.phone = person.phone
        self.last_visit_at = person.last_visit_at
        self.added_at = person.added_at
        self.next_visit_at = person.next_visit_at
        self.removed_at = person.removed_at
        self.ref = person.ref


class CareVisitRow(Base):
    __tablename__ = "care_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    care_person_id: Mapped[int] = mapped_column(
        ForeignKey("care_people.id", ondelete="CASCADE"), index=True
    )
    visitor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # a period's (0011)
    note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    photo: Mapped[str | None] = mapped_column(String(256))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))

    @classmethod
    def from_domain(cls, visit: CareVisit) -> CareVisitRow:
        return cls(
            care_person_id=visit.care_person_id,
            visitor_id=visit.visitor_id,
            at=visit.at,
            note=visit.note,
            outcome=visit.outcome.value,
            photo=visit.photo,
            case_id=visit.case_id,
        )

    def to_domain(self) -> CareVisit:
        return CareVisit(
            care_person_id=self.care_person_id,
            visitor_id=self.visitor_id,
            at=self.at,
            note=self.note,
            outcome=VisitOutcome(self.outcome),
            photo=self.photo,
            case_id=self.case_id,
            id=self.id,
        )


class PointsRow(Base):
    __tablename__ = "points_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    @classmethod
    def from_domain(cls, entry: PointsEntry) -> PointsRow:
        return cls(
            person_id=entry.person_id,
            points=entry.points,
            reason=entry.reason,
            at=entry.at,
            case_id=entry.case_id,
        )

    def to_domain(self) -> PointsEntry:
        return PointsEntry(
            person_id=self.person_id,
            points=self.points,
            reason=self.reason,
            at=self.at,
            case_id=self.case_id,
            id=self.id,
        )
