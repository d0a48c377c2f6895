"""Cases, their events, ratings and follow-up visits, and case numbering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import and_, bindparam, func, insert, or_, select
from sqlalchemy import case as when
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from gridbot.domain.case import Case, CaseEvent, CaseKind, CaseStatus, Rating, Visit
from gridbot.domain.errors import NotFound
from gridbot.domain.lifecycle import AWAITING_RATING, OPEN, WAITING
from gridbot.domain.messaging import DueKind
from gridbot.domain.staffing import Load
from gridbot.storage.deferred import defer
from gridbot.storage.repositories.base import SqlRepository, table_of
from gridbot.storage.rows import (
    CaseAffectedRow,
    CaseEventRow,
    CaseRow,
    CaseSequenceRow,
    DueItemRow,
    RatingRow,
    VisitRow,
)

# Built once: statements that every report runs.
_ADD_EVENT = insert(table_of(CaseEventRow))  # Core: every row in one executemany
# Core on the tables, as the reads below: the ORM's bulk and loading paths would add work.
_SEQUENCES = table_of(CaseSequenceRow)
_BUMP = {
    dialect: insert_(_SEQUENCES)
    .values(year=bindparam("year"), last=1)
    .on_conflict_do_update(index_elements=[_SEQUENCES.c.year], set_={"last": _SEQUENCES.c.last + 1})
    .returning(_SEQUENCES.c.last)
    for dialect, insert_ in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}

# Routing reads it for every report: built once.
_CASES = table_of(CaseRow)
_NOW = bindparam("now", type_=_CASES.c.respond_by.type)
_LATE = or_(
    and_(_CASES.c.status.in_([str(s) for s in WAITING]), _CASES.c.respond_by < _NOW),
    and_(
        _CASES.c.status.in_([str(s) for s in OPEN if s not in WAITING]),
        _CASES.c.resolve_by < _NOW,
    ),
)
_OPEN_LOAD = (
    select(_CASES.c.assignee_id, func.count(_CASES.c.id), func.sum(when((_LATE, 1), else_=0)))
    .where(
        _CASES.c.assignee_id.in_(bindparam("ids", expanding=True)),
        _CASES.c.kind != str(CaseKind.WISH),
        _CASES.c.status.in_([str(s) for s in OPEN]),
    )
    .group_by(_CASES.c.assignee_id)
)
_REPORTED_SINCE = select(func.count(_CASES.c.id)).where(
    _CASES.c.reporter_id == bindparam("person_id"),
    _CASES.c.created_at >= bindparam("since", type_=_CASES.c.created_at.type),
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

    async def comment_rating(self, case_id: int, rated_by: int, comment: str) -> bool:
        """Add ``comment`` to the person's latest rating of the case, if it has none yet."""
        row = await self._session.scalar(
            select(RatingRow)
            .where(RatingRow.case_id == case_id, RatingRow.rated_by == rated_by)
            .order_by(RatingRow.id.desc())
            .limit(1)
        )
        if row is None or row.comment:
            return False
        row.comment = comment
        await self._session.flush()
        return True

    async def awaiting_rating_unpolled(self) -> Sequence[Case]:
        """Cases and wishes waiting for their rating with no rating poll pending (resolved
        before this release had one), oldest first."""
        polled = select(DueItemRow.id).where(
            DueItemRow.kind == str(DueKind.RATING_POLL),
            DueItemRow.ref == CaseRow.number,
            DueItemRow.done_at.is_(None),
        )
        rows = await self._session.scalars(
            select(CaseRow)
            .where(CaseRow.status.in_([str(s) for s in AWAITING_RATING]), ~polled.exists())
            .order_by(CaseRow.resolved_at, CaseRow.id)
        )
        return [row.to_domain() for row in rows]

    async def open_due_by(self, until: datetime) -> Sequence[Case]:
        """Open issues and hazards in someone's hands whose deadline falls by ``until``:
        the response deadline while nobody has accepted them, else the resolution one."""
        waiting = [str(s) for s in WAITING]
        handling = [str(s) for s in OPEN if s not in WAITING]
        rows = await self._session.scalars(
            select(CaseRow)
            .where(
                CaseRow.kind != str(CaseKind.WISH),
                CaseRow.assignee_id.is_not(None),
                or_(
                    and_(CaseRow.status.in_(waiting), CaseRow.respond_by <= until),
                    and_(CaseRow.status.in_(handling), CaseRow.resolve_by <= until),
                ),
            )
            .order_by(CaseRow.id)
        )
        return [row.to_domain() for row in rows]

    async def open_load(self, person_ids: Sequence[int], now: datetime) -> Mapping[int, Load]:
        """Per handler, their open issues and hazards and how many of them are overdue at
        ``now``, counted in one grouped query; handlers with none are left out."""
        if not person_ids:
            return {}
        rows = await self._session.execute(_OPEN_LOAD, {"ids": sorted(set(person_ids)), "now": now})
        return {pid: Load(int(total), int(overdue or 0)) for pid, total, overdue in rows if pid}

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

    async def get_visit(self, visit_id: int) -> Visit | None:
        row = await self._session.get(VisitRow, visit_id)
        return row.to_domain() if row else None

    async def open_visit(self, case_id: int) -> Visit | None:
        """The case's follow-up visit not yet done, if any."""
        row = await self._session.scalar(
            select(VisitRow)
            .where(VisitRow.case_id == case_id, VisitRow.done_at.is_(None))
            .order_by(VisitRow.id.desc())
            .limit(1)
        )
        return row.to_domain() if row else None

    async def open_visits(
        self, until: datetime, visitor_id: int | None = None
    ) -> Sequence[tuple[Visit, Case]]:
        """Follow-up visits not yet done and due by ``until`` (of ``visitor_id`` when
        given), with their cases, soonest first."""
        query = (
            select(VisitRow, CaseRow)
            .join(CaseRow, CaseRow.id == VisitRow.case_id)
            .where(VisitRow.done_at.is_(None), VisitRow.due_at <= until)
        )
        if visitor_id is not None:
            query = query.where(VisitRow.visitor_id == visitor_id)
        rows = await self._session.execute(query.order_by(VisitRow.due_at, VisitRow.id))
        return [(visit.to_domain(), case.to_domain()) for visit, case in rows]

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
