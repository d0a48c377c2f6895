"""Key residents (重点人群), their care visits (走访), and points."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, func, select, update

from gridbot.domain.care import CarePerson, CareVisit, PointsEntry
from gridbot.domain.errors import NotFound
from gridbot.storage.repositories.base import SqlRepository, rowcount, table_of
from gridbot.storage.rows import CarePersonRow, CareVisitRow, PointsRow

# A grid's key residents' names (what a group post masks): read for every report.
_PEOPLE = table_of(CarePersonRow)
_NAMES_ON_GRID = select(_PEOPLE.c.name).where(
    _PEOPLE.c.grid_code == bindparam("grid_code"), _PEOPLE.c.removed_at.is_(None)
)


class SqlCareRepository(SqlRepository):
    async def add_person(self, person: CarePerson) -> CarePerson:
        row = CarePersonRow()
        row.apply(person)
        self._session.add(row)
        await self._session.flush()
        return row.to_domain()

    async def get_person(self, care_person_id: int, *, lock: bool = False) -> CarePerson | None:
        """The care person, removed or not; ``lock``: their row stays locked until the
        transaction ends (two visits recorded at once apply one after the other)."""
        query = select(CarePersonRow).where(CarePersonRow.id == care_person_id)
        if lock:
            query = query.with_for_update()
        row = await self._session.scalar(query.execution_options(populate_existing=True))
        return row.to_domain() if row else None

    async def update_person(self, person: CarePerson) -> None:
        row = await self._session.get(CarePersonRow, person.id)
        if row is None:
            raise NotFound(f"no care person {person.id}", care_person_id=person.id)
        row.apply(person)
        await self._session.flush()

    async def of_grid(self, grid_code: str) -> Sequence[CarePerson]:
        return await self._active(CarePersonRow.grid_code == grid_code)

    async def names_on_grid(self, grid_code: str) -> Sequence[str]:
        names = await self._session.scalars(_NAMES_ON_GRID, {"grid_code": grid_code})
        return [name for name in names if name]

    async def by_worker(self, worker_id: int) -> Sequence[CarePerson]:
        return await self._active(CarePersonRow.worker_id == worker_id)

    async def due_by(self, until: datetime, worker_id: int | None = None) -> Sequence[CarePerson]:
        where = [CarePersonRow.next_visit_at <= until]
        if worker_id is not None:
            where.append(CarePersonRow.worker_id == worker_id)
        return await self._active(*where)

    async def _active(self, *where: ColumnElement[bool]) -> Sequence[CarePerson]:
        """Care persons not removed, soonest visit first."""
        rows = await self._session.scalars(
            select(CarePersonRow)
            .where(CarePersonRow.removed_at.is_(None), *where)
            .order_by(CarePersonRow.next_visit_at.is_(None), CarePersonRow.next_visit_at)
            .order_by(CarePersonRow.id)
        )
        return [row.to_domain() for row in rows]

    async def match(self, ref: str | None, grid_code: str, name: str) -> CarePerson | None:
        """For a re-import: the person with this ledger ``ref``, else the one of this name
        on this grid that has no ref (removed or not; the oldest)."""
        if ref is not None:
            row = await self._session.scalar(select(CarePersonRow).where(CarePersonRow.ref == ref))
            if row is not None:
                return row.to_domain()
        row = await self._session.scalar(
            select(CarePersonRow)
            .where(
                CarePersonRow.grid_code == grid_code,
                CarePersonRow.name == name,
                CarePersonRow.ref.is_(None),
            )
            .order_by(CarePersonRow.id)
            .limit(1)
        )
        return row.to_domain() if row else None

    async def add_visit(self, visit: CareVisit) -> CareVisit:
        row = CareVisitRow.from_domain(visit)
        self._session.add(row)
        await self._session.flush()
        return row.to_domain()

    async def get_visit(self, visit_id: int) -> CareVisit | None:
        row = await self._session.get(CareVisitRow, visit_id)
        return row.to_domain() if row else None

    async def link_case(self, visit_id: int, case_id: int) -> bool:
        """Note the case (or wish) raised on the spot, unless the visit has one already."""
        result = await self._session.execute(
            update(CareVisitRow)
            .where(CareVisitRow.id == visit_id, CareVisitRow.case_id.is_(None))
            .values(case_id=case_id)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) > 0

    async def visits_of(self, care_person_id: int, limit: int | None = None) -> Sequence[CareVisit]:
        """The person's visits, latest first (``limit`` of them)."""
        query = (
            select(CareVisitRow)
            .where(CareVisitRow.care_person_id == care_person_id)
            .order_by(CareVisitRow.at.desc(), CareVisitRow.id.desc())
        )
        rows = await self._session.scalars(query if limit is None else query.limit(limit))
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
