"""Rows of key residents (重点人群), their visits, and points."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gridbot.domain.care import CarePerson, CareVisit, PointsEntry
from gridbot.storage.base import Base, UTCDateTime


class CarePersonRow(Base):
    __tablename__ = "care_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    grid_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    worker_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    visit_interval_days: Mapped[int] = mapped_column(Integer, default=7)
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(32))
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_domain(self) -> CarePerson:
        return CarePerson(
            name=self.name,
            grid_code=self.grid_code,
            reason=self.reason,
            worker_id=self.worker_id,
            visit_interval_days=self.visit_interval_days,
            address=self.address,
            phone=self.phone,
            last_visit_at=self.last_visit_at,
            id=self.id,
        )

    def apply(self, person: CarePerson) -> None:
        self.name = person.name
        self.grid_code = person.grid_code
        self.reason = person.reason
        self.worker_id = person.worker_id
        self.visit_interval_days = person.visit_interval_days
        self.address = person.address
        self.phone = person.phone
        self.last_visit_at = person.last_visit_at


class CareVisitRow(Base):
    __tablename__ = "care_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    care_person_id: Mapped[int] = mapped_column(
        ForeignKey("care_people.id", ondelete="CASCADE"), index=True
    )
    visitor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)

    @classmethod
    def from_domain(cls, visit: CareVisit) -> CareVisitRow:
        return cls(
            care_person_id=visit.care_person_id,
            visitor_id=visit.visitor_id,
            at=visit.at,
            note=visit.note,
        )

    def to_domain(self) -> CareVisit:
        return CareVisit(
            care_person_id=self.care_person_id,
            visitor_id=self.visitor_id,
            at=self.at,
            note=self.note,
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
