"""Deadlines from the category and priority, follow-up dates, and quiet hours.

Every datetime in and out is timezone-aware; results are in UTC. Local time only matters
where people read a deadline as a day ("within 3 days" means by the end of that day) and
for quiet hours.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from gridbot.domain.case import Priority
from gridbot.domain.org import Category

END_OF_DAY = time(23, 59, 59)
DAY_HOURS = 24


def _aware(at: datetime, name: str) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {at!r}")


def _zone(tz: tzinfo | str) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def end_of_local_day(at: datetime, tz: tzinfo | str) -> datetime:
    """23:59:59 local time on the local day ``at`` falls on, in UTC."""
    _aware(at, "at")
    zone = _zone(tz)
    local_day = at.astimezone(zone).date()
    return datetime.combine(local_day, END_OF_DAY, tzinfo=zone).astimezone(UTC)


def compute_deadlines(
    category: Category, priority: Priority, created_at: datetime, tz: tzinfo | str
) -> tuple[datetime, datetime]:
    """``(respond_by, resolve_by)`` of a new case, in UTC.

    Urgent cases get half the hours. A resolution time of a day or more (after halving)
    ends at 23:59:59 local time of the day it falls on.
    """
    _aware(created_at, "created_at")
    factor = 0.5 if priority == Priority.URGENT else 1.0
    respond_hours = category.respond_hours * factor
    resolve_hours = category.resolve_hours * factor
    start = created_at.astimezone(UTC)
    respond_by = start + timedelta(hours=respond_hours)
    resolve_by = start + timedelta(hours=resolve_hours)
    if resolve_hours >= DAY_HOURS:
        resolve_by = end_of_local_day(resolve_by, tz)
    return respond_by, resolve_by


def follow_up_due(resolved_at: datetime, category: Category) -> datetime:
    """When the follow-up visit (回访) of a resolved case falls due, in UTC."""
    _aware(resolved_at, "resolved_at")
    return resolved_at.astimezone(UTC) + timedelta(days=category.follow_up_days)


def in_quiet_hours(
    at: datetime, tz: tzinfo | str, start: time = time(22), end: time = time(7)
) -> bool:
    """Whether ``at`` falls in [start, end) local time; the span may cross midnight."""
    _aware(at, "at")
    local = at.astimezone(_zone(tz)).time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def defer_past_quiet_hours(
    at: datetime, tz: tzinfo | str, start: time = time(22), end: time = time(7)
) -> datetime:
    """A non-urgent reminder due in quiet hours moves to their end; others stay. In UTC."""
    if not in_quiet_hours(at, tz, start, end):
        return at.astimezone(UTC)
    zone = _zone(tz)
    local = at.astimezone(zone)
    day = local.date()
    # Before midnight the quiet hours end tomorrow; after midnight they end today.
    if start > end and local.time().replace(tzinfo=None) >= start:
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone).astimezone(UTC)
