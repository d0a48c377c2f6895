"""Aggregates for the rankings (/rank) and a grid's card (/grid) that the statistics have
no grouping for: a unit's figures by grid and by who handled the cases, their median time
to accept, and the cases open on some grids now. Each is the statistics' own statement
(the same columns and conditions, ``SqlStatsRepository``) grouped by another column, so
that every figure keeps the one definition docs/metrics.md gives it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from gridbot.domain.case import RatingValue
from gridbot.domain.lifecycle import OPEN
from gridbot.domain.metrics import CASE_KINDS, Counts
from gridbot.domain.staffing import Load
from gridbot.storage.repositories.stats import (
    _KEYS as _GROUPING,
)
from gridbot.storage.repositories.stats import (
    _RATING_FIELDS,
    C,
    Grids,
    SqlStatsRepository,
    _cohort_columns,
    _Durations,
    _received,
    _scope,
)

_KINDS = [str(kind) for kind in CASE_KINDS]


class SqlRankingRepository(SqlStatsRepository):
    async def grid_counts(
        self, grids: Grids, start: datetime, end: datetime, now: datetime
    ) -> Mapping[str, Counts]:
        """Per grid, the counts ``case_counts`` gives of the issues and hazards on
        ``grids``: one GROUP BY the grid's code, however many grids (a district's 1,150
        too), where ``case_counts``' groups would test each case against every grid."""
        return await self._counts_by(C.grid_code, grids, start, end, now)

    async def handler_counts(
        self, grids: Grids, start: datetime, end: datetime, now: datetime
    ) -> Mapping[int, Counts]:
        """Per holder (``assignee_id``), the counts ``case_counts`` gives of the issues and
        hazards on ``grids``; cases nobody holds are left out."""
        found = await self._counts_by(C.assignee_id, grids, start, end, now)
        return {int(holder): counts for holder, counts in found.items() if holder is not None}

    async def _counts_by(
        self, key: Any, grids: Grids, start: datetime, end: datetime, now: datetime
    ) -> dict[Any, Counts]:
        """The statistics' two statements (the cohort received in [start, end), and the
        responses due in it), grouped by ``key`` (their ``grp``) instead of a unit."""
        await self._plain()
        found: dict[Any, dict[str, int]] = {}
        for row in await self._session.execute(self._cohort(grids, start, end, now, key)):
            values = found.setdefault(row.grp, {})
            for name, value in row._mapping.items():
                if name not in _GROUPING:
                    values[name] = values.get(name, 0) + int(value)
            if row.rating in _RATING_FIELDS:
                field = _RATING_FIELDS[RatingValue(row.rating)]
                values[field] = values.get(field, 0) + int(row.received)
        for row in await self._session.execute(self._responses(grids, start, end, now, key)):
            values = found.setdefault(row.grp, {})
            for name in ("response_due", "responded_on_time"):
                values[name] = values.get(name, 0) + int(getattr(row, name))
        return {group: Counts(**values) for group, values in found.items()}

    async def handler_medians(
        self, grids: Grids, start: datetime, end: datetime
    ) -> Mapping[int, timedelta]:
        """Per holder: the median time from receipt to the first acceptance of the cases
        received in [start, end) on ``grids``, taken as ``medians`` takes it (whole
        seconds in SQL, the middle found here). Holders of no accepted case are left out."""
        await self._plain()
        rows = await self._session.execute(
            select(C.assignee_id, self._seconds(C.accepted_at, C.created_at)).where(
                *_received(grids, start, end),
                C.assignee_id.is_not(None),
                C.accepted_at.is_not(None),
            )
        )
        waits: defaultdict[int, _Durations] = defaultdict(_Durations)
        for holder, seconds in rows:
            if holder is not None:
                waits[holder].add(seconds, None)
        medians = {holder: found.medians().response for holder, found in waits.items()}
        return {holder: median for holder, median in medians.items() if median is not None}

    async def open_now(self, grids: Collection[str], now: datetime) -> Load:
        """The issues and hazards on ``grids`` open at ``now`` (whenever received), and how
        many of them are overdue (their current deadline passed), as the statistics count
        ``open`` and ``overdue``."""
        await self._plain()
        columns = _cohort_columns(now)
        row = (
            await self._session.execute(
                select(columns["open"], columns["overdue"]).where(
                    C.kind.in_(_KINDS),
                    C.status.in_([str(s) for s in OPEN]),
                    *_scope(C.grid_code, grids),
                )
            )
        ).one()
        return Load(open=int(row[0]), overdue=int(row[1]))
