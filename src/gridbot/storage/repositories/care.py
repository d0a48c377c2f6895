"""Key residents, their visits, and points."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from gridbot.domain.care import CarePerson, CareVisit, PointsEntry
from gridbot.storage.repositories.base import SqlRepository
from gridbot.storage.rows import CarePersonRow, CareVisitRow, PointsRow


class SqlCareRepository(SqlRepository):
    async def add_person(self, person: CarePerson) -> CarePerson:
        row = CarePersonRow()
        row.apply(person)
        self._session.add(row)
        await self._session.flush()
        return row.to_domain()

    async def get_person(self, care_person_id: int) -> CarePerson | None:
        row = await self._session.get(CarePersonRow, care_person_id)
        return row.to_domain() if row else None

    async def by_worker(self, worker_id: int) -> Sequence[CarePerson]:
        rows = await self._session.scalars(
            select(CarePersonRow)
            .where(CarePersonRow.worker_id == worker_id)
            .order_by(CarePersonRow.id)
        )
        return [row.to_domain() for row in rows]

    async def add_visit(self, visit: CareVisit) -> None:
        """Records the visit and moves the person's ``last_visit_at`` forward."""
        self._session.add(CareVisitRow.from_domain(visit))
        person = await self._session.get(CarePersonRow, visit.care_person_id)
        if person is not None and (person.last_visit_at is None or person.last_visit_at < visit.at):
            person.last_visit_at = visit.at
        await self._session.flush()

    async def visits_of(self, care_person_id: int) -> Sequence[CareVisit]:
        rows = await self._session.scalars(
            select(CareVisitRow)
            .where(CareVisitRow.care_person_id == care_person_id)
            .order_by(CareVisitRow.at, CareVisitRow.id)
        )
        return [row.to_domain() for row in rows]

    async def add_points(self, entry: PointsEntry) -> None:
        self._session.add(PointsRow.from_domain(entry))
        await self._session.flush()

    async def points_of(self, person_id: int) -> int:
        total = await self._session.scalar(
            select(func.coalesce(func.sum(PointsRow.points), 0)).where(
                PointsRow.person_id == person_id
            )
        )
        return int(total or 0)
