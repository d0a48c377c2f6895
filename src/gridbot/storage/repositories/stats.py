"""The statistics: aggregate SQL over a unit's cases (COUNT … GROUP BY), never a case
loaded into Python. docs/metrics.md defines each figure; ``gridbot.domain.metrics`` names
the counts this module fills in.

``grids`` is the scope: the codes of the units at or under the unit asked about (None:
every case of the database, for the root of a one-district instance).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    text,
)

from gridbot.domain.case import CaseKind, CaseLevel, CaseStatus, RatingValue
from gridbot.domain.lifecycle import OPEN, WAITING
from gridbot.domain.metrics import (
    CASE_KINDS,
    Counts,
    Medians,
    MedianTimes,
    VisitCounts,
    WishCounts,
)
from gridbot.storage.repositories.base import SqlRepository
from gridbot.storage.rows import CarePersonRow, CareVisitRow, CaseRow, RatingRow, VisitRow

S = CaseStatus
Grids = Collection[str] | None
C = CaseRow
_KINDS = [str(kind) for kind in CASE_KINDS]
_HANDLING = [str(s) for s in OPEN if s not in WAITING]
_WISH_CLAIMED = [str(s) for s in (S.CLAIMED, S.FULFILLED, S.CONFIRMED, S.CLOSED)]
_WISH_FULFILLED = [str(s) for s in (S.FULFILLED, S.CONFIRMED, S.CLOSED)]
_KEYS = ("grp", "category_code", "rating")  # the grouping columns of the cohort
_RATING_FIELDS = {
    RatingValue.SATISFIED: "satisfied",
    RatingValue.BASIC: "basically_satisfied",
    RatingValue.UNSATISFIED: "unsatisfied",
}


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet ``condition`` (COUNT skips the NULL of ELSE)."""
    return func.count(case((condition, 1)))


def _scope(column: Any, grids: Grids) -> list[ColumnElement[bool]]:
    return [] if grids is None else [column.in_(sorted(grids))]


def _received(grids: Grids, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """The cohort: issues and hazards on these grids received in [start, end)."""
    return [
        C.kind.in_(_KINDS),
        C.created_at >= start,
        C.created_at < end,
        *_scope(C.grid_code, grids),
    ]


# The case's latest rating (the reporter's last word), and whether its current resolution
# was rated at all (a case reopened, resolved again and closed unrated was not).
_LATEST_RATING = (
    select(RatingRow.value)
    .where(RatingRow.case_id == C.id)
    .order_by(RatingRow.id.desc())
    .limit(1)
    .correlate(C)
    .scalar_subquery()
    .label("rating")
)
_RATED_SINCE_RESOLVED = (
    select(RatingRow.id)
    .where(RatingRow.case_id == C.id, RatingRow.at >= C.resolved_at)
    .correlate(C)
    .exists()
)


def _group_key(groups: Mapping[str, Collection[str]], keys: list[str]) -> ColumnElement[int] | None:
    """The index in ``keys`` of the group a case's grid is in (-1: none), or None when
    there are no groups."""
    if not keys:
        return None
    return case(
        *[
            (C.grid_code.in_(sorted(groups[key])), literal_column(str(index)))
            for index, key in enumerate(keys)
        ],
        else_=literal_column("-1"),
    )


def _cohort_columns(now: datetime) -> dict[str, ColumnElement[int]]:
    closed = C.status == str(S.CLOSED)
    resolved = C.resolved_at.is_not(None)
    overdue = or_(
        and_(C.status.in_([str(s) for s in WAITING]), C.respond_by < now),
        and_(C.status.in_(_HANDLING), C.resolve_by < now),
    )
    return {
        "received": func.count(),
        "accepted": _count(C.accepted_at.is_not(None)),
        "resolved": _count(resolved),
        "closed": _count(closed),
        "open": _count(C.status.in_([str(s) for s in OPEN])),
        "overdue": _count(overdue),
        "rejected": _count(C.status == str(S.REJECTED)),
        "cancelled": _count(C.status == str(S.CANCELLED)),
        "resolved_on_time": _count(
            and_(resolved, or_(C.resolve_by.is_(None), C.resolved_at <= C.resolve_by))
        ),
        "closed_in_grid": _count(and_(closed, C.level == str(CaseLevel.GRID))),
        "reopened": _count(and_(resolved, C.reopen_count > 0)),
        "closed_unrated": _count(and_(closed, ~_RATED_SINCE_RESOLVED)),
    }


class SqlStatsRepository(SqlRepository):
    """Each method first sets two planner options for the transaction on PostgreSQL. JIT
    off: the per-case rating subqueries make the planner's estimates large enough to
    compile the statement, which took half a second for a 70 ms query. Custom plans: after
    five runs of a prepared statement PostgreSQL keeps a generic plan, in which the ~1,150
    grid codes of a district are compared one by one per row instead of hashed (the
    district's month went from ~290 ms to ~1,080 ms; docs/benchmarks.md)."""

    async def _plain(self) -> None:
        if self._backend == "postgresql":
            await self._session.execute(
                text(
                    "SELECT set_config('jit', 'off', true),"
                    " set_config('plan_cache_mode', 'force_custom_plan', true)"
                )
            )

    async def case_counts(
        self,
        grids: Grids,
        start: datetime,
        end: datetime,
        now: datetime,
        groups: Mapping[str, Collection[str]] | None = None,
    ) -> Sequence[tuple[str, str, Counts]]:
        """(group, category code, counts) of the issues and hazards on ``grids``: those
        received in [start, end), and those whose response deadline falls in it; a case
        whose grid is in none of ``groups`` (or with no groups) is of group "". Two
        statements, each one pass over an index range, grouped in the database."""
        await self._plain()
        keys = list(groups or {})
        group = _group_key(groups or {}, keys)
        found: dict[tuple[str, str], dict[str, int]] = {}

        def values_of(row: Any) -> dict[str, int]:
            key = keys[row.grp] if group is not None and row.grp >= 0 else ""
            return found.setdefault((key, row.category_code), {})

        for row in await self._session.execute(self._cohort(grids, start, end, now, group)):
            values = values_of(row)
            for name, value in row._mapping.items():
                if name not in _KEYS:
                    values[name] = values.get(name, 0) + int(value)
            if row.rating in _RATING_FIELDS:
                field = _RATING_FIELDS[RatingValue(row.rating)]
                values[field] = values.get(field, 0) + int(row.received)
        for row in await self._session.execute(self._responses(grids, start, end, now, group)):
            values = values_of(row)
            values["response_due"] = int(row.response_due)
            values["responded_on_time"] = int(row.responded_on_time)
        return [(key, category, Counts(**values)) for (key, category), values in found.items()]

    def _cohort(
        self,
        grids: Grids,
        start: datetime,
        end: datetime,
        now: datetime,
        group: ColumnElement[int] | None,
    ) -> Any:
        # Grouped by the latest rating too: its subquery runs once per case, as a key.
        columns = [expression.label(name) for name, expression in _cohort_columns(now).items()]
        keys: list[Any] = [C.category_code, _LATEST_RATING]
        if group is not None:
            keys.insert(0, group.label("grp"))
        return (
            select(*keys, *columns)
            .where(*_received(grids, start, end))
            .group_by(*(key for key in keys))
        )

    def _responses(
        self,
        grids: Grids,
        start: datetime,
        end: datetime,
        now: datetime,
        group: ColumnElement[int] | None,
    ) -> Any:
        """响应率's cases: response deadline in [start, end), passed or met; a case returned
        (退回) or withdrawn is no response owed."""
        met = C.accepted_at <= C.respond_by
        keys: list[Any] = [C.category_code]
        if group is not None:
            keys.insert(0, group.label("grp"))
        return (
            select(
                *keys,
                func.count().label("response_due"),
                _count(met).label("responded_on_time"),
            )
            .where(
                C.kind.in_(_KINDS),
                C.respond_by >= start,
                C.respond_by < end,
                C.status.not_in([str(S.REJECTED), str(S.CANCELLED)]),
                or_(C.respond_by < now, met),
                *_scope(C.grid_code, grids),
            )
            .group_by(*keys)
        )

    async def medians(
        self,
        grids: Grids,
        start: datetime,
        end: datetime,
        groups: Mapping[str, Collection[str]] | None = None,
    ) -> MedianTimes:
        """Median response and resolution times of the cohort received in [start, end): of
        all of it, by category, and by group (each a set of grid codes). The durations are
        worked out in SQL and fetched as numbers, with each case's category and group (one
        short row per accepted or resolved case, no case loaded); the middle is found
        here: sorting them in the database (window functions over a union of the
        groupings) took several times as long on SQLite."""
        await self._plain()
        keys = list(groups or {})
        group = _group_key(groups or {}, keys)
        rows = await self._session.execute(
            select(
                C.category_code,
                literal_column("-1") if group is None else group,
                self._seconds(C.accepted_at, C.created_at),
                self._seconds(C.resolved_at, C.created_at),
            ).where(
                *_received(grids, start, end),
                or_(C.accepted_at.is_not(None), C.resolved_at.is_not(None)),
            )
        )
        # One pair of lists per (category, group); the unit's, each category's and each
        # group's durations are concatenations of them.
        cells: defaultdict[tuple[str, int], tuple[list[float], list[float]]] = defaultdict(
            lambda: ([], [])
        )
        for category, index, response, resolution in rows:
            responses, resolutions = cells[(category, index)]
            if response is not None:
                responses.append(response)
            if resolution is not None:
                resolutions.append(resolution)
        categories = {category for category, _ in cells}
        indexes = {index for _, index in cells if index >= 0}
        return MedianTimes(
            total=_medians(cells.values()),
            by_category={
                c: _medians(v for (category, _), v in cells.items() if category == c)
                for c in categories
            },
            by_group={
                keys[i]: _medians(v for (_, index), v in cells.items() if index == i)
                for i in indexes
            },
        )

    def _seconds(self, later: Any, earlier: Any) -> ColumnElement[float]:
        """Whole seconds between two timestamps, the same on both backends."""
        if self._backend == "postgresql":  # a float, not a numeric: no Decimal per row
            return cast(func.round(func.extract("epoch", later - earlier)), Float)
        return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0)

    async def wish_counts(self, grids: Grids, start: datetime, end: datetime) -> WishCounts:
        """Micro-wishes on ``grids`` posted in [start, end), and of those the ones claimed
        (or beyond) and fulfilled (or beyond)."""
        await self._plain()
        row = (
            await self._session.execute(
                select(
                    func.count(),
                    _count(C.status.in_(_WISH_CLAIMED)),
                    _count(C.status.in_(_WISH_FULFILLED)),
                ).where(
                    C.kind == str(CaseKind.WISH),
                    C.created_at >= start,
                    C.created_at < end,
                    *_scope(C.grid_code, grids),
                )
            )
        ).one()
        return WishCounts(posted=int(row[0]), claimed=int(row[1]), fulfilled=int(row[2]))

    async def visit_counts(
        self, grids: Grids, start: datetime, end: datetime, now: datetime
    ) -> VisitCounts:
        """Follow-ups (回访) due in [start, end) on cases of ``grids``: done, and not done
        though due before ``now``; care visits made in [start, end); active care persons
        whose visit was due before ``now``."""
        await self._plain()
        v, p = VisitRow, CarePersonRow
        follow_ups = select(
            func.count(),
            _count(v.done_at.is_not(None)),
            _count(and_(v.done_at.is_(None), v.due_at < now)),
        ).where(v.due_at >= start, v.due_at < end)
        care_visits = select(func.count()).where(CareVisitRow.at >= start, CareVisitRow.at < end)
        if grids is not None:  # the whole district needs no join
            # The case's grid as a subquery: one lookup of its row per visit of the period
            # (a join read every case of the unit, of all time, on PostgreSQL).
            grid = select(C.grid_code).where(C.id == v.case_id).correlate(v).scalar_subquery()
            follow_ups = follow_ups.where(*_scope(grid, grids))
            care_visits = care_visits.join(p, p.id == CareVisitRow.care_person_id).where(
                *_scope(p.grid_code, grids)
            )
        done = (await self._session.execute(follow_ups.select_from(v))).one()
        made = await self._session.scalar(care_visits.select_from(CareVisitRow))
        care_overdue = await self._session.scalar(
            select(func.count()).where(
                p.removed_at.is_(None), p.next_visit_at <= now, *_scope(p.grid_code, grids)
            )
        )
        return VisitCounts(
            follow_ups_due=int(done[0]),
            follow_ups_done=int(done[1]),
            follow_ups_overdue=int(done[2]),
            care_visits=int(made or 0),
            care_overdue=int(care_overdue or 0),
        )


def _medians(cells: Iterable[tuple[list[float], list[float]]]) -> Medians:
    """The medians of the response and resolution times of these cells together."""
    responses: list[float] = []
    resolutions: list[float] = []
    for response, resolution in cells:
        responses += response
        resolutions += resolution
    return Medians(_median(responses), _median(resolutions))


class _Durations:
    """The response and resolution times of one group, in seconds (the rankings' medians
    by holder use it too)."""

    def __init__(self) -> None:
        self.response: list[float] = []
        self.resolution: list[float] = []

    def add(self, response: Any, resolution: Any) -> None:
        if response is not None:
            self.response.append(float(response))
        if resolution is not None:
            self.resolution.append(float(resolution))

    def medians(self) -> Medians:
        return _medians([(self.response, self.resolution)])


def _median(seconds: list[float]) -> timedelta | None:
    """The middle one, or the mean of the two middle ones."""
    return timedelta(seconds=float(median(seconds))) if seconds else None
