"""Rows of patrols (巡查): one worker's round of their grid."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from gridbot.domain.patrol import Patrol
from gridbot.storage.base import Base, UTCDateTime

_OPEN = text("ended_at IS NULL")


class PatrolRow(Base):
    __tablename__ = "patrols"
    __table_args__ = (
        # One open patrol per person, even when two starts race each other.
        Index(
            "uq_patrols_open_person_id",
            "person_id",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
        Index("ix_patrols_grid_code_started_at", "grid_code", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    grid_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hazards: Mapped[int] = mapped_column(Integer, default=0)
    fixed_on_spot: Mapped[int] = mapped_column(Integer, default=0)

    def to_domain(self) -> Patrol:
        return Patrol(
            person_id=self.person_id,
            grid_code=self.grid_code,
            started_at=self.started_at,
            ended_at=self.ended_at,
            hazards=self.hazards,
            fixed_on_spot=self.fixed_on_spot,
            id=self.id,
        )

    def apply(self, patrol: Patrol) -> None:
        self.person_id = patrol.person_id
        self.grid_code = patrol.grid_code
        self.started_at = patrol.started_at
        self.ended_at = patrol.ended_at
        self.hazards = patrol.hazards
        self.fixed_on_spot = patrol.fixed_on_spot
