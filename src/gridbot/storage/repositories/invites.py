"""The invitations administrators hand out (/invite). Taking one is a conditional UPDATE,
so of two accounts opening the same link at once only one gets it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from gridbot.domain.staffing import StaffInvite
from gridbot.storage.repositories.base import SqlRepository, rowcount
from gridbot.storage.rows import OrgUnitRow, StaffInviteRow


class SqlInviteRepository(SqlRepository):
    async def add(self, invite: StaffInvite) -> StaffInvite:
        row = StaffInviteRow()
        row.apply(invite, await self._unit_id(invite.unit_code))
        self._session.add(row)
        await self._session.flush()
        return row.to_domain(invite.unit_code)

    async def by_code(self, code: str) -> StaffInvite | None:
        found = (
            await self._session.execute(
                select(StaffInviteRow, OrgUnitRow.code)
                .join(OrgUnitRow, StaffInviteRow.unit_id == OrgUnitRow.id)
                .where(StaffInviteRow.code == code)
            )
        ).first()
        return None if found is None else found[0].to_domain(found[1])

    async def take(self, invite_id: int, person_id: int, at: datetime) -> bool:
        """Mark the invitation accepted by ``person_id`` unless it was accepted already;
        returns whether this call took it."""
        result = await self._session.execute(
            update(StaffInviteRow)
            .where(StaffInviteRow.id == invite_id, StaffInviteRow.accepted_by.is_(None))
            .values(accepted_by=person_id, accepted_at=at)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1
