"""Cases, their events, ratings and follow-up visits, and case numbering."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from gridbot.domain.case import Case, CaseEvent, CaseKind, CaseStatus, Rating, Visit
from gridbot.domain.errors import NotFound
from gridbot.storage.deferred import defer
from gridbot.storage.repositories.base import SqlRepository, table_of
from gridbot.storage.rows import (
    CaseAffectedRow,
    CaseEventRow,
    CaseRow,
    CaseSequenceRow,
    RatingRow,
    VisitRow,
)

# Built once: statements that every report runs.
_ADD_EVENT = insert(table_of(CaseEventRow))  # Core: every row in one executemany
_BUMP = {
    dialect: insert_(CaseSequenceRow)
    .values(year=bindparam("year"), last=1)
    .on_conflict_do_update(
        index_elements=[CaseSequenceRow.year], set_={"last": CaseSequenceRow.last + 1}
    )
    .returning(CaseSequenceRow.last)
    for dialect, insert_ in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}

_REPORTED_SINCE = select(func.count(CaseRow.id)).where(
    CaseRow.reporter_id == bindparam("person_id"), CaseRow.created_at >= bindparam("since")
)


class SqlCaseRepository(SqlRepository):
    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        # The session maps rows weakly: the rows of this unit of work's cases are held here,
        # so that updating a case read (or added) earlier is no second SELECT.
        self._held: dict[int, CaseRow] = {}

    def _hold(self, row: CaseRow | None) -> Case | None:
        if row is None:
            return None
        self._held[row.id] = row
        return row.to_domain()

    async def get(self, case_id: int) -> Case | None:
        return self._hold(await self._session.get(CaseRow, case_id))

    async def get_for_update(self, case_id: int) -> Case | None:
        """The case, its row locked until the transaction ends (``SELECT … FOR UPDATE`` on
        PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), so that two
        concurrent changes of one case apply one after the other and the second sees the
        first."""
        row = await self._session.scalar(
            select(CaseRow)
            .where(CaseRow.id == case_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return self._hold(row)

    async def by_number(self, number: str) -> Case | None:
        return self._hold(
            await self._session.scalar(select(CaseRow).where(CaseRow.number == number))
        )

    async def next_number(self, year: int) -> str:
        """Bumps the year's counter in the current transaction: the row stays locked until
        commit, so concurrent callers queue up, and a rollback gives the number back."""
        bump = _BUMP[self._backend]
        last = (await self._session.execute(bump, {"year": year})).scalar_one()
        return f"{year}-{last:06d}"

    async def add(self, case: Case) -> Case:
        row = CaseRow()
        row.apply(case)
        self._session.add(row)
        await self._session.flush()
        saved = self._hold(row)
        assert saved is not None
        return saved

    async def update(self, case: Case) -> None:
        row = self._held.get(case.id) if case.id else None
        if row is None and case.id:
            row = await self._session.get(CaseRow, case.id)
        if row is None:
            raise NotFound(f"no case with id {case.id}", case_id=case.id)
        row.apply(case)
        await self._session.flush()

    async def add_event(self, event: CaseEvent) -> None:
        """Written before the unit of work's next statement or its commit, together with
        the other events (and outbox messages, and due items) queued meanwhile."""
        defer(self._session.sync_session, _ADD_EVENT, CaseEventRow.values_of(event))

    async def events(self, case_id: int) -> Sequence[CaseEvent]:
        rows = await self._session.scalars(
            select(CaseEventRow)
            .where(CaseEventRow.case_id == case_id)
            .order_by(CaseEventRow.at, CaseEventRow.id)
        )
        return [row.to_domain() for row in rows]

    async def by_reporter(self, person_id: int, limit: int = 20) -> Sequence[Case]:
        rows = await self._session.scalars(
            select(CaseRow)
            .where(CaseRow.reporter_id == person_id)
            .order_by(CaseRow.created_at.desc(), CaseRow.id.desc())
            .limit(limit)
        )
        return [row.to_domain() for row in rows]

    async def by_assignee(
        self, person_id: int, statuses: Sequence[CaseStatus] | None = None
    ) -> Sequence[Case]:
        query = select(CaseRow).where(CaseRow.assignee_id == person_id)
        if statuses is not None:
            query = query.where(CaseRow.status.in_([str(status) for status in statuses]))
        rows = await self._session.scalars(query.order_by(CaseRow.created_at, CaseRow.id))
        return [row.to_domain() for row in rows]

    async def in_grids(
        self, kind: CaseKind, grid_codes: Sequence[str], statuses: Sequence[CaseStatus]
    ) -> Sequence[Case]:
        """Cases of ``kind`` on these grids in one of ``statuses``, oldest first."""
        if not grid_codes or not statuses:
            return []
        rows = await self._session.scalars(
            select(CaseRow)
            .where(
                CaseRow.kind == str(kind),
                CaseRow.grid_code.in_(list(grid_codes)),
                CaseRow.status.in_([str(status) for status in statuses]),
            )
            .order_by(CaseRow.created_at, CaseRow.id)
        )
        return [row.to_domain() for row in rows]

    async def count_reported_since(self, person_id: int, since: datetime) -> int:
        count = await self._session.scalar(
            _REPORTED_SINCE, {"person_id": person_id, "since": since}
        )
        return count or 0

    async def add_affected(self, case_id: int, telegram_user_id: int, at: datetime) -> bool:
        insert = postgresql.insert if self._backend == "postgresql" else sqlite.insert
        added = await self._session.execute(
            insert(CaseAffectedRow)
            .values(case_id=case_id, telegram_user_id=telegram_user_id, at=at)
            .on_conflict_do_nothing(index_elements=["case_id", "telegram_user_id"])
            .returning(CaseAffectedRow.id)
        )
        return added.scalar_one_or_none() is not None

    async def add_rating(self, rating: Rating) -> None:
        self._session.add(RatingRow.from_domain(rating))
        await self._session.flush()

    async def ratings(self, case_id: int) -> Sequence[Rating]:
        rows = await self._session.scalars(
            select(RatingRow).where(RatingRow.case_id == case_id).order_by(RatingRow.id)
        )
        return [row.to_domain() for row in rows]

    async def add_visit(self, visit: Visit) -> Visit:
        row = VisitRow()
        row.apply(visit)
        self._session.add(row)
        await self._session.flush()
        return row.to_domain()

    async def update_visit(self, visit: Visit) -> None:
        row = await self._session.get(VisitRow, visit.id) if visit.id else None
        if row is None:
            raise NotFound(f"no visit with id {visit.id}", visit_id=visit.id)
        row.apply(visit)
        await self._session.flush()

    async def visits(self, case_id: int) -> Sequence[Visit]:
        rows = await self._session.scalars(
            select(VisitRow).where(VisitRow.case_id == case_id).order_by(VisitRow.id)
        )
        return [row.to_domain() for row in rows]
