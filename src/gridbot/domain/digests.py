"""The public digest (向群众汇报): a summary of a unit's figures over a period for the
residents' groups bound under it, published by a supervisor or on a schedule (weekly on
Monday morning for the week before, monthly on the 1st for the month before), and the
record of each publication (who published what, when, to how many groups)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.org import OrgUnit, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.periods import Period, month_period, week_period

DIGEST_TIME = time(9)  # local: after the residents' quiet hours end (08:00 by default)
STALE_AFTER = timedelta(days=1)  # a scheduled digest the bot missed by more is skipped
EXAMPLES = 3  # masked examples of problems fixed, at most
TOP_CATEGORIES = 3  # categories of problems fixed named, at most


class DigestSource(StrEnum):
    """Who published a digest: a supervisor from a preview, or a schedule."""

    MANUAL = "manual"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


SCHEDULES = (DigestSource.WEEKLY, DigestSource.MONTHLY)


@dataclass(frozen=True)
class DigestRecord:
    """One publication of ``unit_code``'s digest over a period. ``prepared_at``: when the
    supervisor's preview was made, or when the schedule fell due; a unit's digest of one
    period is published once per ``prepared_at``. ``text``: what the groups were sent."""

    unit_code: str
    period_label: str
    period_start: datetime
    period_end: datetime
    source: DigestSource
    prepared_at: datetime
    published_at: datetime
    groups: int
    text: str
    published_by: int | None = None  # None: the schedule
    id: int | None = None


def parse_digests(text: str) -> frozenset[DigestSource]:
    """``"weekly,monthly"``, either alone, or ``"off"`` (or nothing) for none; ValueError
    otherwise."""
    words = [word.strip().lower() for word in text.replace(";", ",").split(",")]
    words = [word for word in words if word]
    if not words or words == ["off"]:
        return frozenset()
    allowed = {source.value: source for source in SCHEDULES}
    unknown = [word for word in words if word not in allowed]
    if unknown:
        raise ValueError(f"unknown digest schedule {unknown[0]!r}; allowed: weekly, monthly, off")
    return frozenset(allowed[word] for word in words)


def format_digests(schedules: Iterable[DigestSource]) -> str:
    chosen = set(schedules)
    return ",".join(s.value for s in SCHEDULES if s in chosen) or "off"


def next_digest_at(
    schedule: DigestSource, after: datetime, tz: tzinfo, at: time = DIGEST_TIME
) -> datetime:
    """The first publication time of ``schedule`` strictly after ``after`` (in UTC): a
    Monday at ``at`` local for the weekly digest, the 1st of a month for the monthly one."""
    day = after.astimezone(tz).date()
    while True:
        if _publishes_on(schedule, day):
            moment = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
            if moment > after:
                return moment
        day += timedelta(days=1)


def digest_period(schedule: DigestSource, due_at: datetime, tz: tzinfo) -> Period:
    """What a scheduled digest due at ``due_at`` reports on: the week (Monday to Sunday)
    or the month before the local day it falls due on."""
    day = due_at.astimezone(tz).date()
    if schedule == DigestSource.WEEKLY:
        return week_period(day - timedelta(days=7), tz)
    last = day.replace(day=1) - timedelta(days=1)
    return month_period(last.year, last.month, tz)


def _publishes_on(schedule: DigestSource, day: date) -> bool:
    return day.weekday() == 0 if schedule == DigestSource.WEEKLY else day.day == 1


def residents_groups(bindings: Iterable[ChatBinding]) -> list[ChatBinding]:
    """The active building and enterprise groups among ``bindings``: a digest is for
    residents, never for a grid team's workers' group."""
    return [b for b in bindings if b.active and b.kind != BindingKind.WORKER_GROUP]


def publishing_unit(tree: OrgTree, unit_code: str) -> OrgUnit | None:
    """The unit whose scheduled digest a group bound to ``unit_code`` gets: its community
    (each community reports to the groups under it), or its grid when no community is above
    it; None for a code the tree does not hold."""
    if unit_code not in tree:
        return None
    return tree.ancestor_at(unit_code, UnitLevel.COMMUNITY) or tree.grid_of(unit_code)
