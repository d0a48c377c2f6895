"""Reporting periods: a day, a week (Monday first), a month, a quarter or a range of days,
cut at local midnight of the configured time zone and held as UTC instants (end
exclusive). ``parse_period`` reads what a supervisor types after /stats."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from gridbot.domain.errors import ValidationFailed

MAX_RANGE_DAYS = 366  # a range longer than a year is refused
QUARTER_MONTHS = 3


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    RANGE = "range"


@dataclass(frozen=True)
class Period:
    """``start`` ≤ t < ``end`` (aware, UTC), both at local midnight of ``tz``. ``label``:
    ``2026-11-30``, ``2026-W48``, ``2026-11``, ``2026-Q4`` or ``2026-11-01..2026-11-15``;
    ``parse_period`` reads every label back as the same period."""

    start: datetime
    end: datetime
    kind: PeriodKind
    label: str
    tz: tzinfo = field(default=UTC, compare=False, repr=False)

    @property
    def first_day(self) -> date:
        """The period's first local day."""
        return self.start.astimezone(self.tz).date()

    @property
    def last_day(self) -> date:
        """The period's last local day (the end is the midnight after it)."""
        return self.end.astimezone(self.tz).date() - timedelta(days=1)

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """00:00 local time of ``day``, as a UTC instant."""
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def day_period(day: date, tz: tzinfo) -> Period:
    return _period(day, day + timedelta(days=1), PeriodKind.DAY, day.isoformat(), tz)


def week_period(day: date, tz: tzinfo) -> Period:
    """The week (Monday to Sunday) ``day`` falls in, labelled by its ISO week."""
    monday = day - timedelta(days=day.weekday())
    year, week, _ = monday.isocalendar()
    return _period(monday, monday + timedelta(days=7), PeriodKind.WEEK, f"{year}-W{week:02d}", tz)


def month_period(year: int, month: int, tz: tzinfo) -> Period:
    first = date(year, month, 1)
    return _period(first, _add_months(first, 1), PeriodKind.MONTH, f"{year}-{month:02d}", tz)


def quarter_period(year: int, quarter: int, tz: tzinfo) -> Period:
    first = date(year, QUARTER_MONTHS * (quarter - 1) + 1, 1)
    label = f"{year}-Q{quarter}"
    return _period(first, _add_months(first, QUARTER_MONTHS), PeriodKind.QUARTER, label, tz)


def range_period(first: date, last: date, tz: tzinfo) -> Period:
    """The days ``first`` to ``last``, both included; ValidationFailed (code ``period``)
    when they are reversed or span more than MAX_RANGE_DAYS."""
    days = (last - first).days + 1
    if days < 1 or days > MAX_RANGE_DAYS:
        raise ValidationFailed(
            f"a range runs forward over 1 to {MAX_RANGE_DAYS} days",
            code="period",
            limit=MAX_RANGE_DAYS,
        )
    label = f"{first.isoformat()}..{last.isoformat()}"
    return _period(first, last + timedelta(days=1), PeriodKind.RANGE, label, tz)


def previous(period: Period) -> Period:
    """The period just before, of the same kind and length."""
    tz, first = period.tz, period.first_day
    if period.kind == PeriodKind.DAY:
        return day_period(first - timedelta(days=1), tz)
    if period.kind == PeriodKind.WEEK:
        return week_period(first - timedelta(days=7), tz)
    if period.kind == PeriodKind.MONTH:
        before = _add_months(first, -1)
        return month_period(before.year, before.month, tz)
    if period.kind == PeriodKind.QUARTER:
        before = _add_months(first, -QUARTER_MONTHS)
        return quarter_period(before.year, _quarter_of(before), tz)
    days = (period.last_day - first).days + 1
    last = first - timedelta(days=1)
    return range_period(last - timedelta(days=days - 1), last, tz)


_DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], tzinfo], Period]], ...] = (
    (re.compile(rf"{_DATE}"), lambda m, tz: day_period(_date(*m.groups()), tz)),
    (re.compile(r"(\d{4})-(\d{1,2})"), lambda m, tz: _month(m, tz)),
    (re.compile(r"(\d{4})-w(\d{1,2})"), lambda m, tz: _iso_week(m, tz)),
    (re.compile(r"(\d{4})-q([1-4])"), lambda m, tz: quarter_period(int(m[1]), int(m[2]), tz)),
    (
        re.compile(rf"{_DATE}\.\.{_DATE}"),
        lambda m, tz: range_period(_date(*m.groups()[:3]), _date(*m.groups()[3:]), tz),
    ),
)


def _relative(today: date, tz: tzinfo) -> dict[str, Callable[[], Period]]:
    last_month = _add_months(today.replace(day=1), -1)
    this_quarter = _quarter_of(today)
    return {
        "today": lambda: day_period(today, tz),
        "yesterday": lambda: day_period(today - timedelta(days=1), tz),
        "week": lambda: week_period(today, tz),
        "last-week": lambda: week_period(today - timedelta(days=7), tz),
        "month": lambda: month_period(today.year, today.month, tz),
        "last-month": lambda: month_period(last_month.year, last_month.month, tz),
        "quarter": lambda: quarter_period(today.year, this_quarter, tz),
    }


# What people type, in either language, for the relative periods.
ALIASES = {
    "今天": "today",
    "今日": "today",
    "昨天": "yesterday",
    "昨日": "yesterday",
    "本周": "week",
    "this-week": "week",
    "上周": "last-week",
    "本月": "month",
    "this-month": "month",
    "上月": "last-month",
    "上个月": "last-month",
    "本季度": "quarter",
    "本季": "quarter",
    "this-quarter": "quarter",
}
RELATIVE_WORDS = ("today", "yesterday", "week", "last-week", "month", "last-month", "quarter")


def parse_period(text: str | None, now: datetime, tz: tzinfo) -> Period:
    """The period ``text`` names, seen from ``now`` in ``tz``; None or blank: this month.
    Unknown text: ValidationFailed with code ``period``."""
    word = (text or "").strip().lower()
    today = now.astimezone(tz).date()
    if not word:
        return month_period(today.year, today.month, tz)
    relative = _relative(today, tz).get(ALIASES.get(word, word))
    if relative is not None:
        return relative()
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(word)
        if match is None:
            continue
        try:
            return build(match, tz)
        except (ValueError, OverflowError):  # no such day, month or week; out of range
            break
    raise ValidationFailed(f"not a period: {text!r}", code="period", text=text)


def _period(first: date, after: date, kind: PeriodKind, label: str, tz: tzinfo) -> Period:
    return Period(local_midnight(first, tz), local_midnight(after, tz), kind, label, tz)


def _date(year: str, month: str, day: str) -> date:
    return date(int(year), int(month), int(day))  # ValueError: no such day


def _month(match: re.Match[str], tz: tzinfo) -> Period:
    date(int(match[1]), int(match[2]), 1)  # ValueError: no such month
    return month_period(int(match[1]), int(match[2]), tz)


def _iso_week(match: re.Match[str], tz: tzinfo) -> Period:
    monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)  # ValueError: no such week
    return week_period(monday, tz)


def _add_months(first: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``first``'s month."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _quarter_of(day: date) -> int:
    return (day.month - 1) // QUARTER_MONTHS + 1
