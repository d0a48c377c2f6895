"""Patrols (巡查) of grid workers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from gridbot.domain.errors import NotFound, PatrolUnderWay
from gridbot.domain.patrol import Patrol
from gridbot.storage.deferred import write_deferred
from gridbot.storage.repositories.base import SqlRepository
from gridbot.storage.rows.patrol import PatrolRow


class SqlPatrolRepository(SqlRepository):
    async def add(self, patrol: Patrol) -> Patrol:
        row = PatrolRow()
        row.apply(patrol)
        try:
            # A savepoint: losing a race to the unique index leaves the transaction usable.
            await write_deferred(self._session)  # a rolled back savepoint forgets the queue
            async with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError as error:
            if patrol.ended_at is not None:
                raise
            raise PatrolUnderWay(
                "the person already has an open patrol", person_id=patrol.person_id
            ) from error
        return row.to_domain()

    async def update(self, patrol: Patrol) -> None:
        row = await self._session.get(PatrolRow, patrol.id) if patrol.id else None
        if row is None:
            raise NotFound(f"no patrol with id {patrol.id}", patrol_id=patrol.id)
        row.apply(patrol)
        await self._session.flush()

    async def open_for(self, person_id: int) -> Patrol | None:
        row = await self._session.scalar(
            select(PatrolRow).where(PatrolRow.person_id == person_id, PatrolRow.ended_at.is_(None))
        )
        return row.to_domain() if row else None

    async def of_person(self, person_id: int, limit: int = 20) -> Sequence[Patrol]:
        rows = await self._session.scalars(
            select(PatrolRow)
            .where(PatrolRow.person_id == person_id)
            .order_by(PatrolRow.started_at.desc(), PatrolRow.id.desc())
            .limit(limit)
        )
        return [row.to_domain() for row in rows]
