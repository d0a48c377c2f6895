"""Overdue cases (超时) of a unit's grids, longest overdue first, and urges (督办) counted.

The overdue predicate is two index ranges: (status, respond_by) for the cases nobody has
accepted, (status, resolve_by) for those being handled (migration 0009), so a district of
a million cases reads only its open, late ones; the grids and kinds then filter those.
Urges of a period are a range of (action, at) on the events (0009), joined to their cases
by key, instead of every event of the unit's cases.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from gridbot.domain.case import Case
from gridbot.domain.lifecycle import OPEN, WAITING, CaseAction
from gridbot.domain.overdue import OVERDUE_KINDS
from gridbot.storage.repositories.base import SqlRepository
from gridbot.storage.rows import CaseEventRow, CaseRow

_WAITING = [str(status) for status in WAITING]
_HANDLING = [str(status) for status in OPEN if status not in WAITING]
_KINDS = [str(kind) for kind in OVERDUE_KINDS]
_URGE = str(CaseAction.URGE)
# The deadline that matters now; the earliest is the longest overdue.
_DEADLINE = case((CaseRow.status.in_(_WAITING), CaseRow.respond_by), else_=CaseRow.resolve_by)


def _overdue(grid_codes: Sequence[str], now: datetime) -> ColumnElement[bool]:
    return and_(
        or_(
            and_(CaseRow.status.in_(_WAITING), CaseRow.respond_by < now),
            and_(CaseRow.status.in_(_HANDLING), CaseRow.resolve_by < now),
        ),
        CaseRow.kind.in_(_KINDS),
        CaseRow.grid_code.in_(list(grid_codes)),
    )


class SqlOverdueRepository(SqlRepository):
    async def overdue(
        self, grid_codes: Sequence[str], now: datetime, *, offset: int = 0, limit: int = 10
    ) -> Sequence[Case]:
        """A page of the overdue cases on these grids, the longest overdue first."""
        if not grid_codes:
            return []
        rows = await self._session.scalars(
            select(CaseRow)
            .where(_overdue(grid_codes, now))
            .order_by(_DEADLINE, CaseRow.id)
            .offset(max(offset, 0))
            .limit(limit)
        )
        return [row.to_domain() for row in rows]

    async def count_overdue(self, grid_codes: Sequence[str], now: datetime) -> int:
        if not grid_codes:
            return 0
        count = await self._session.scalar(
            select(func.count(CaseRow.id)).where(_overdue(grid_codes, now))
        )
        return int(count or 0)

    async def count_overdue_by_grid(
        self, grid_codes: Sequence[str], now: datetime
    ) -> Mapping[str, int]:
        """``count_overdue`` of each of these grids (grids with none are left out): the
        supervisors' morning brief names the grids with the most."""
        if not grid_codes:
            return {}
        rows = await self._session.execute(
            select(CaseRow.grid_code, func.count(CaseRow.id))
            .where(_overdue(grid_codes, now))
            .group_by(CaseRow.grid_code)
        )
        return {str(grid): int(count) for grid, count in rows}

    async def urge_counts(self, case_ids: Collection[int]) -> Mapping[int, int]:
        """How often each of these cases has been urged (never urged: left out)."""
        if not case_ids:
            return {}
        rows = await self._session.execute(
            select(CaseEventRow.case_id, func.count(CaseEventRow.id))
            .where(CaseEventRow.case_id.in_(sorted(set(case_ids))), CaseEventRow.action == _URGE)
            .group_by(CaseEventRow.case_id)
        )
        return {int(case_id): int(count) for case_id, count in rows}

    async def count_urges(self, grid_codes: Sequence[str], start: datetime, end: datetime) -> int:
        """Urges (督办 events) made in [start, end) on cases of these grids."""
        if not grid_codes:
            return 0
        query = (
            select(func.count(CaseEventRow.id))
            .join(CaseRow, CaseRow.id == CaseEventRow.case_id)
            .where(
                CaseEventRow.action == _URGE,
                CaseEventRow.at >= start,
                CaseEventRow.at < end,
                CaseRow.grid_code.in_(list(grid_codes)),
            )
        )
        return int(await self._session.scalar(query) or 0)
