"""What /export and /chart lay out (docs/exports.md): one line of the cases sheet, the
per-day counts of the chart, the cap on what one chat export holds, and the local day of
an instant as SQL can compute it (the zone's UTC offset, constant within each span).

A case line carries what happened to a case and when, never who: no reporter, handler,
text, address, location or photo.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from gridbot.domain.case import CaseKind, CaseLevel, CaseStatus, RatingValue
from gridbot.domain.periods import Period

# A chat export lists at most this many cases (the first by time received); the summary
# always covers the whole period. A quarter of a Dongli-sized district (about 65,000
# cases) fits; the file stays near 5 MB, far below Telegram's 50 MB for a bot's document.
EXPORT_ROW_LIMIT = 100_000
EXPORT_BATCH = 2_000  # cases read from the database, and written, at a time

_DAY = timedelta(days=1)
_SECOND = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class CaseLine:
    """One row of the cases sheet; times are aware UTC instants."""

    number: str
    kind: CaseKind
    category_code: str
    grid_code: str
    status: CaseStatus
    level: CaseLevel  # where it is handled now; for a closed case, where it was closed
    created_at: datetime
    accepted_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    respond_by: datetime | None
    resolve_by: datetime | None
    rating: RatingValue | None  # the latest rating, as the statistics count it
    reopen_count: int


@dataclass(frozen=True)
class DayCount:
    """One local day of the chart: issues and hazards received that day, and those whose
    (current) resolution was made that day."""

    day: date
    received: int = 0
    resolved: int = 0


@dataclass(frozen=True)
class OffsetSpan:
    """Local time is UTC plus ``offset`` seconds before ``until`` (None: to the end)."""

    until: datetime | None
    offset: int


def days_of(period: Period) -> list[date]:
    """Every local day of the period, in order."""
    first, last = period.first_day, period.last_day
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def daily_counts(period: Period, found: Mapping[date, tuple[int, int]]) -> tuple[DayCount, ...]:
    """A count for every day of the period (none found: zeros), from (received, resolved)
    by day."""
    return tuple(DayCount(day, *found.get(day, (0, 0))) for day in days_of(period))


def offset_spans(period: Period) -> tuple[OffsetSpan, ...]:
    """The period cut where its zone's UTC offset changes (a daylight-saving zone changes
    twice a year; Asia/Shanghai never), so that SQL can shift an instant to its local day
    with a plain offset on SQLite and PostgreSQL alike."""
    tz, last = period.tz, period.end - _SECOND
    spans: list[OffsetSpan] = []
    cursor, current = period.start, _offset(period.start, tz)
    while True:
        probe = min(cursor + _DAY, last)
        if _offset(probe, tz) != current:
            change = _first_change(cursor, probe, tz, current)
            spans.append(OffsetSpan(change, current))
            cursor, current = change, _offset(change, tz)
            continue
        if probe >= last:
            spans.append(OffsetSpan(None, current))
            return tuple(spans)
        cursor = probe


def _offset(at: datetime, tz: tzinfo) -> int:
    offset = at.astimezone(tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _first_change(before: datetime, after: datetime, tz: tzinfo, offset: int) -> datetime:
    """The first second after ``before`` (offset ``offset``) at which the offset differs;
    ``after`` differs already."""
    while after - before > _SECOND:
        middle = before + (after - before) // 2
        middle -= timedelta(microseconds=middle.microsecond)
        if middle <= before:
            middle = before + _SECOND
        if _offset(middle, tz) == offset:
            before = middle
        else:
            after = middle
    return after
