"""Deadlines from the category and priority, follow-up dates, and quiet hours.

Every datetime in and out is timezone-aware; results are in UTC. Local time only matters
where people read a deadline as a day ("within 3 days" means by the end of that day) and
for quiet hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from gridbot.domain.case import CaseLevel, Priority
from gridbot.domain.org import Category

END_OF_DAY = time(23, 59, 59)
DAY_HOURS = 24
URGENT_FACTOR = 0.5
DEPARTMENT_RESPOND_HOURS = 2.0  # a whistled department reports for duty within this
# 逐级呼叫: how long each step up the chain waits before the next one is called.
CALL_UP_SPACING = {Priority.NORMAL: timedelta(minutes=30), Priority.URGENT: timedelta(minutes=10)}
# 回访 not done when due: the visitor is reminded after this, the grid leader told after twice.
FOLLOW_UP_GRACE = timedelta(days=1)


def _aware(at: datetime, name: str) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {at!r}")


def end_of_local_day(at: datetime, tz: tzinfo) -> datetime:
    """23:59:59 local time on the local day ``at`` falls on, in UTC."""
    _aware(at, "at")
    return end_of_local_date(at.astimezone(tz).date(), tz)


def compute_deadlines(
    category: Category, priority: Priority, created_at: datetime, tz: tzinfo
) -> tuple[datetime, datetime]:
    """``(respond_by, resolve_by)`` of a new case, in UTC.

    Urgent cases get half the hours. A resolution time of a day or more (after halving)
    ends at 23:59:59 local time of the day it falls on.
    """
    _aware(created_at, "created_at")
    factor = URGENT_FACTOR if priority == Priority.URGENT else 1.0
    respond_in = category.respond_hours * factor
    resolve_in = category.resolve_hours * factor
    start = created_at.astimezone(UTC)
    respond_by = start + timedelta(hours=respond_in)
    resolve_by = start + timedelta(hours=resolve_in)
    if resolve_in >= DAY_HOURS:
        resolve_by = end_of_local_day(resolve_by, tz)
    return respond_by, resolve_by


def follow_up_due(closed_at: datetime, category: Category) -> datetime:
    """When the follow-up visit (回访) of a closed case falls due, in UTC: the category's
    number of days after closing."""
    _aware(closed_at, "closed_at")
    return closed_at.astimezone(UTC) + timedelta(days=category.follow_up_days)


def in_quiet_hours(at: datetime, tz: tzinfo, start: time = time(22), end: time = time(7)) -> bool:
    """Whether ``at`` falls in [start, end) local time; the span may cross midnight."""
    _aware(at, "at")
    local = at.astimezone(tz).time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def defer_past_quiet_hours(
    at: datetime, tz: tzinfo, start: time = time(22), end: time = time(7)
) -> datetime:
    """A non-urgent reminder due in quiet hours moves to their end; others stay. In UTC."""
    if not in_quiet_hours(at, tz, start, end):
        return at.astimezone(UTC)
    local = at.astimezone(tz)
    day = local.date()
    # Before midnight the quiet hours end tomorrow; after midnight they end today.
    if start > end and local.time().replace(tzinfo=None) >= start:
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class QuietHours:
    """A daily span of local time, [start, end), in which someone is not to be disturbed;
    it may cross midnight. ``start == end`` is no quiet hours at all."""

    start: time
    end: time

    @property
    def off(self) -> bool:
        return self.start == self.end

    def contains(self, at: datetime, tz: tzinfo) -> bool:
        return in_quiet_hours(at, tz, self.start, self.end)

    def defer(self, at: datetime, tz: tzinfo) -> datetime:
        """``at``, or the end of the quiet hours it falls in; in UTC."""
        return defer_past_quiet_hours(at, tz, self.start, self.end)

    def __str__(self) -> str:
        return "off" if self.off else f"{self.start:%H:%M}-{self.end:%H:%M}"


# Residents hear nothing between 21:00 and 08:00 that they did not ask for just then.
RESIDENT_QUIET_HOURS = QuietHours(time(21), time(8))
NO_QUIET_HOURS = QuietHours(time(0), time(0))


def parse_quiet_hours(text: str) -> QuietHours:
    """``"21:00-08:00"``; ``"off"`` (or nothing) for none. ValueError otherwise."""
    cleaned = text.strip().lower()
    if cleaned in ("", "off", "none"):
        return NO_QUIET_HOURS
    first, sep, second = cleaned.partition("-")
    if not sep:
        raise ValueError(f"expected HH:MM-HH:MM, got {text!r}")
    try:
        start, end = time.fromisoformat(first.strip()), time.fromisoformat(second.strip())
    except ValueError:
        raise ValueError(f"expected HH:MM-HH:MM, got {text!r}") from None
    return QuietHours(start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0))


def respond_hours(
    category: Category, priority: Priority, level: CaseLevel, department: str | None = None
) -> float:
    """How long a new holder has to accept: a department by its own deadline (the
    category's when it is that department's category), urgent cases in half the time."""
    hours = category.respond_hours
    if level == CaseLevel.DEPARTMENT and category.department != department:
        hours = DEPARTMENT_RESPOND_HOURS
    return hours * (URGENT_FACTOR if priority == Priority.URGENT else 1.0)


def next_call_up(now: datetime, priority: Priority, tz: tzinfo) -> datetime:
    """When the next step of a deadline chase runs: urgent cases at once after the spacing,
    others past the quiet hours."""
    at = now + CALL_UP_SPACING[priority]
    return at if priority == Priority.URGENT else defer_past_quiet_hours(at, tz)


def end_of_local_date(day: date, tz: tzinfo) -> datetime:
    """23:59:59 local time of a calendar day (a wish's wanted-by date), in UTC."""
    return datetime.combine(day, END_OF_DAY, tzinfo=tz).astimezone(UTC)
