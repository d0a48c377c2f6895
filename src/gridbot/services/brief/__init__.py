"""The morning brief: at a set local time, everyone with something to do today gets one
message — their overdue cases, today's deadlines, the follow-up (回访) and care (走访)
visits due; for a supervisor, yesterday's figures of their units, what is overdue now and
the grids with the most of it (``supervision``) — and nobody with nothing to do gets
anything.

One chain of MORNING_BRIEF due items, with the time as ``ref``: each sends the day's
briefs, then schedules the next day's. ``ensure_morning_brief`` starts the chain at
start-up (once, however many processes start) and ends one of a time no longer set. A
brief whose time passed long ago (the bot was down) is not sent late; the next day's is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from gridbot.domain.case import Case, Visit
from gridbot.domain.deadlines import end_of_local_day
from gridbot.domain.lifecycle import WAITING
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.patrol import STALE_AFTER, format_patrol_times, next_occurrence
from gridbot.services.brief.supervision import supervisors_days
from gridbot.services.care import CareDue, care_due
from gridbot.services.common import schedule
from gridbot.services.context import Context
from gridbot.services.feedback import follow_ups_due
from gridbot.services.ports import UnitOfWork

SHOWN = 10  # items of one kind listed in a brief; the rest are counted


@dataclass
class Plate:
    """One person's day: what is late, what falls due today, whom to visit."""

    person_id: int
    overdue: list[Case] = field(default_factory=list)
    due_today: list[Case] = field(default_factory=list)
    follow_ups: list[tuple[Visit, Case]] = field(default_factory=list)
    care: list[CareDue] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_today or self.follow_ups or self.care)


def deadline_of(case: Case) -> datetime | None:
    """The deadline that counts now: accepting while nobody has, then resolving."""
    return case.respond_by if case.status in WAITING else case.resolve_by


async def plates(uow: UnitOfWork, now: datetime, until: datetime) -> list[Plate]:
    """Everyone's day up to ``until`` (the end of today), those with nothing left out."""
    found: dict[int, Plate] = {}

    def plate(person_id: int) -> Plate:
        return found.setdefault(person_id, Plate(person_id))

    for case in await uow.cases.open_due_by(until):
        deadline = deadline_of(case)
        if case.assignee_id is None or deadline is None or deadline > until:
            continue
        mine = plate(case.assignee_id)
        (mine.overdue if deadline < now else mine.due_today).append(case)
    for visit, case in await follow_ups_due(uow, until):
        plate(visit.visitor_id).follow_ups.append((visit, case))
    for due in await care_due(uow, until):
        plate(due.worker_id).care.append(due)
    for mine in found.values():
        mine.overdue.sort(key=lambda c: (deadline_of(c) or now, c.id or 0))
        mine.due_today.sort(key=lambda c: (deadline_of(c) or now, c.id or 0))
    return [found[p] for p in sorted(found) if found[p]]


async def send_briefs(uow: UnitOfWork, ctx: Context) -> int:
    """Today's brief to everyone with something to do, and to each supervisor whose units
    had something yesterday or have something overdue (one message a person, whatever
    they are); returns how many were queued."""
    now = ctx.clock.now()
    day = {p.person_id: p for p in await plates(uow, now, end_of_local_day(now, ctx.tz))}
    org = await ctx.org.current(uow)
    supervision = await supervisors_days(uow, org, now, ctx.tz)
    ids = sorted(day.keys() | supervision.keys())
    people = await uow.people.many(ids) if ids else {}
    sent = 0
    for person_id in ids:
        person = people.get(person_id)
        if person is None:
            continue
        mine = day.get(person_id, Plate(person_id))
        sent += await ctx.notices.morning_brief(
            uow,
            person,
            overdue=[(case, deadline_of(case) or now) for case in mine.overdue],
            due_today=[(case, deadline_of(case) or now) for case in mine.due_today],
            follow_ups=[(case, visit.due_at) for visit, case in mine.follow_ups],
            care=[(due.name, due.category, due.due_at) for due in mine.care],
            categories=org.categories,
            shown=SHOWN,
            units=supervision.get(person_id, ()),
        )
    return sent


async def ensure_morning_brief(ctx: Context) -> bool:
    """At start-up: the next brief scheduled if none is pending at the set time (an item
    pending at another time is dropped); False when nothing was to be scheduled."""
    at = ctx.timing.brief_at
    async with ctx.writing() as uow:
        for ref in await _pending_refs(uow):
            if at is None or ref != _ref(at):
                await uow.due.cancel(DueKind.MORNING_BRIEF, ref)
        added = False
        if at is not None and not await uow.due.pending(DueKind.MORNING_BRIEF, _ref(at)):
            await schedule(
                uow, DueKind.MORNING_BRIEF, _ref(at), next_occurrence(at, ctx.clock.now(), ctx.tz)
            )
            added = True
        await uow.commit()
    return added


async def on_morning_brief(item: DueItem, uow: UnitOfWork, ctx: Context) -> None:
    """The due scheduler's job: the briefs (unless far too late), then tomorrow's item."""
    at = ctx.timing.brief_at
    if at is None or item.ref != _ref(at):
        return  # the time changed or the brief was turned off: this chain ends
    now = ctx.clock.now()
    if now - item.due_at <= STALE_AFTER:
        await send_briefs(uow, ctx)
    await schedule(uow, DueKind.MORNING_BRIEF, item.ref, next_occurrence(at, now, ctx.tz))


def _ref(at: time) -> str:
    return format_patrol_times([at])


async def _pending_refs(uow: UnitOfWork) -> Sequence[str]:
    return await uow.due.pending_refs(DueKind.MORNING_BRIEF)
