"""Rows of the invitations administrators hand out (/invite): a role on a unit for whoever
opens the link first, before it expires."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gridbot.domain.org import Role
from gridbot.domain.staffing import StaffInvite
from gridbot.storage.base import Base, UTCDateTime


class StaffInviteRow(Base):
    __tablename__ = "staff_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    invited_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_domain(self, unit_code: str) -> StaffInvite:
        return StaffInvite(
            code=self.code,
            role=Role(self.role),
            unit_code=unit_code,
            invited_by=self.invited_by,
            created_at=self.created_at,
            expires_at=self.expires_at,
            accepted_by=self.accepted_by,
            accepted_at=self.accepted_at,
            id=self.id,
        )

    def apply(self, invite: StaffInvite, unit_id: int) -> None:
        self.code = invite.code
        self.role = invite.role
        self.unit_id = unit_id
        self.invited_by = invite.invited_by
        self.created_at = invite.created_at
        self.expires_at = invite.expires_at
        self.accepted_by = invite.accepted_by
        self.accepted_at = invite.accepted_at
