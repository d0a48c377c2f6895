"""Rows of the public digests published to residents' groups (向群众汇报): who published
which unit's digest of which period, when, to how many groups, and what it said."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gridbot.domain.digests import DigestRecord, DigestSource
from gridbot.storage.base import Base, UTCDateTime


class DigestRow(Base):
    __tablename__ = "digests"
    # A unit's digest of one period is published once per preview (or scheduled time).
    __table_args__ = (UniqueConstraint("unit_id", "period_label", "prepared_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    period_label: Mapped[str] = mapped_column(String(32))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(16))
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    groups: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    def to_domain(self, unit_code: str) -> DigestRecord:
        return DigestRecord(
            unit_code=unit_code,
            period_label=self.period_label,
            period_start=self.period_start,
            period_end=self.period_end,
            source=DigestSource(self.source),
            prepared_at=self.prepared_at,
            published_at=self.published_at,
            groups=self.groups,
            text=self.text,
            published_by=self.published_by,
            id=self.id,
        )
