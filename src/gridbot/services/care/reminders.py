"""Care visits that fall due: the scheduler's CARE_VISIT job, and ``care_due`` (what /visits
and the morning brief list).

Each active care person has one pending CARE_VISIT item, at ``next_visit_at``: scheduled
when they are added or imported, replaced after each visit and whenever the worker or the
interval changes, dropped when they are removed. The job reminds whoever is the person's
worker when it runs (not whoever was when it was scheduled), only in the local daytime, and
while the visit is still not made reminds again every REMIND_AGAIN_DAYS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gridbot.domain.care import next_reminder, reminder_time
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.services.care.common import due_ref
from gridbot.services.care.messages import remind_worker
from gridbot.services.common import schedule
from gridbot.services.context import Context
from gridbot.services.ports import UnitOfWork


@dataclass(frozen=True)
class CareDue:
    care_person_id: int
    name: str
    grid_code: str
    category: str  # the care category's value
    due_at: datetime  # UTC
    worker_id: int


async def care_due(uow: UnitOfWork, until: datetime, worker_id: int | None = None) -> list[CareDue]:
    """Care persons whose next visit is due by ``until`` (of ``worker_id`` when given),
    soonest first."""
    return [
        CareDue(p.id, p.name, p.grid_code, p.category.value, p.next_visit_at, p.worker_id)
        for p in await uow.care.due_by(until, worker_id)
        if p.id is not None and p.next_visit_at is not None
    ]


async def on_care_visit_due(item: DueItem, uow: UnitOfWork, ctx: Context) -> None:
    """A job of the due scheduler, in its unit of work: remind the person's worker that the
    visit is due (with a button to record it), then schedule the next reminder. Nothing for
    a person removed or visited meanwhile; at night, the reminder waits for the morning."""
    person = await uow.care.get_person(int(item.ref)) if item.ref.isdigit() else None
    if person is None or person.id is None or not person.active:
        return
    now = ctx.clock.now()
    if person.next_visit_at is None or person.next_visit_at > now:
        return  # visited since: the item at the next visit covers it
    ref = due_ref(person.id)
    at = reminder_time(now, ctx.tz)
    if at > now:
        await schedule(uow, DueKind.CARE_VISIT, ref, at)
        return
    worker = await uow.people.get(person.worker_id)
    if worker is not None:
        tree = (await ctx.org.current(uow)).tree
        grid = tree.get(person.grid_code) if person.grid_code in tree else None
        await remind_worker(uow, ctx, person, worker, grid)
    await schedule(uow, DueKind.CARE_VISIT, ref, next_reminder(now, ctx.tz))
