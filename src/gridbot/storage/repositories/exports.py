"""What /export and /chart read besides the statistics: the cases of a period streamed in
batches (one server-side query; never the whole period in memory), and the per-day counts
of received and resolved cases grouped by local day in SQL (docs/exports.md).

``grids`` is the scope, as for the statistics: the unit codes at or under the unit asked
about (None: every case stored).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Collection, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Interval, case, func, literal, select, union_all

from gridbot.domain.case import CaseKind, CaseLevel, CaseStatus, RatingValue
from gridbot.domain.exports import CaseLine, OffsetSpan
from gridbot.domain.metrics import CASE_KINDS
from gridbot.storage.repositories.base import SqlRepository
from gridbot.storage.rows import CaseRow, RatingRow

C = CaseRow
Grids = Collection[str] | None
_KINDS = [str(kind) for kind in CASE_KINDS]

# Each case's latest rating: the one the statistics count (满意率).
_LATEST_RATING = (
    select(RatingRow.value)
    .where(RatingRow.case_id == C.id)
    .order_by(RatingRow.id.desc())
    .limit(1)
    .correlate(C)
    .scalar_subquery()
)


def _in_scope(grids: Grids) -> list[ColumnElement[bool]]:
    return [] if grids is None else [C.grid_code.in_(sorted(grids))]


def _line(row: Any) -> CaseLine:
    return CaseLine(
        number=row.number,
        kind=CaseKind(row.kind),
        category_code=row.category_code,
        grid_code=row.grid_code,
        status=CaseStatus(row.status),
        level=CaseLevel(row.level),
        created_at=row.created_at,
        accepted_at=row.accepted_at,
        resolved_at=row.resolved_at,
        closed_at=row.closed_at,
        respond_by=row.respond_by,
        resolve_by=row.resolve_by,
        rating=RatingValue(row.rating) if row.rating else None,
        reopen_count=int(row.reopen_count or 0),
    )


class SqlExportRepository(SqlRepository):
    async def case_lines(
        self, grids: Grids, start: datetime, end: datetime, *, limit: int, batch: int
    ) -> AsyncGenerator[Sequence[CaseLine], None]:
        """The issues and hazards on ``grids`` received in [start, end), the first
        ``limit`` by time received, ``batch`` at a time: one statement whose rows the
        database hands over as they are read (a server-side cursor on PostgreSQL, a
        stepped statement on SQLite)."""
        statement = (
            select(
                C.number,
                C.kind,
                C.category_code,
                C.grid_code,
                C.status,
                C.level,
                C.created_at,
                C.accepted_at,
                C.resolved_at,
                C.closed_at,
                C.respond_by,
                C.resolve_by,
                C.reopen_count,
                _LATEST_RATING.label("rating"),
            )
            .where(C.kind.in_(_KINDS), C.created_at >= start, C.created_at < end, *_in_scope(grids))
            .order_by(C.created_at, C.id)
            .limit(limit)
            .execution_options(yield_per=batch)
        )
        result = await self._session.stream(statement)
        try:
            async for rows in result.partitions(batch):
                yield [_line(row) for row in rows]
        finally:
            await result.close()

    async def daily_counts(
        self, grids: Grids, start: datetime, end: datetime, spans: Sequence[OffsetSpan]
    ) -> Mapping[date, tuple[int, int]]:
        """(received, resolved) by local day in [start, end): issues and hazards on
        ``grids`` received that day, and those whose current resolution was made that
        day. One statement, grouped by the local day; days with neither are left out."""
        received = select(
            self._local_day(C.created_at, spans).label("day"), literal(0).label("resolved")
        ).where(C.kind.in_(_KINDS), C.created_at >= start, C.created_at < end, *_in_scope(grids))
        resolved = select(
            self._local_day(C.resolved_at, spans).label("day"), literal(1).label("resolved")
        ).where(C.kind.in_(_KINDS), C.resolved_at >= start, C.resolved_at < end, *_in_scope(grids))
        both = union_all(received, resolved).subquery("days")
        statement = select(
            both.c.day,
            func.count(case((both.c.resolved == 0, 1))),
            func.count(case((both.c.resolved == 1, 1))),
        ).group_by(both.c.day)
        found: dict[date, tuple[int, int]] = {}
        for day, in_count, out_count in await self._session.execute(statement):
            found[date.fromisoformat(str(day))] = (int(in_count), int(out_count))
        return found

    def _local_day(self, column: Any, spans: Sequence[OffsetSpan]) -> ColumnElement[str]:
        """``column``'s local date as text (YYYY-MM-DD): the instant shifted by the zone's
        UTC offset of its span. SQLite has no time zones, so both backends shift by plain
        offsets, which the caller works out for the period (``offset_spans``)."""
        if self._backend == "postgresql":
            utc = func.timezone("UTC", column)
            shift = self._by_span(column, spans, lambda s: literal(timedelta(seconds=s), Interval))
            return func.to_char(utc + shift, "YYYY-MM-DD")
        return func.date(column, self._by_span(column, spans, lambda s: literal(f"{s:+d} seconds")))

    @staticmethod
    def _by_span(column: Any, spans: Sequence[OffsetSpan], value: Any) -> Any:
        *changes, last = spans
        if not changes:
            return value(last.offset)
        whens = [(column < span.until, value(span.offset)) for span in changes]
        return case(*whens, else_=value(last.offset))
