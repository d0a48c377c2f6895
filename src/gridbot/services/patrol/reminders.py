"""一日双巡: reminders to patrol, at fixed local times every day.

Each time slot ("09:00", "15:00") is a chain of PATROL_REMINDER due items with the slot as
``ref``: the job reminds the grid workers, then schedules the slot's next occurrence.
``ensure_patrol_reminders`` starts a chain that has no pending item (at start-up), so a
slot is scheduled once however many processes start; a slot dropped from the settings
ends its chain at its next run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.org import OrgUnit, Role, UnitLevel
from gridbot.domain.patrol import (
    DEFAULT_PATROL_TIMES,
    STALE_AFTER,
    format_patrol_times,
    next_occurrence,
)
from gridbot.services.common import schedule
from gridbot.services.context import Context
from gridbot.services.ports import UnitOfWork


async def ensure_patrol_reminders(
    ctx: Context, times: Sequence[time] = DEFAULT_PATROL_TIMES
) -> int:
    """Schedule the next reminder of every slot that has none pending; returns how many."""
    now, added = ctx.clock.now(), 0
    async with ctx.writing() as uow:
        for slot in times:
            ref = format_patrol_times([slot])
            if not await uow.due.pending(DueKind.PATROL_REMINDER, ref):
                due = next_occurrence(slot, now, ctx.tz)
                await schedule(uow, DueKind.PATROL_REMINDER, ref, due)
                added += 1
        await uow.commit()
    return added


async def on_patrol_reminder(
    item: DueItem, uow: UnitOfWork, ctx: Context, times: Sequence[time] = DEFAULT_PATROL_TIMES
) -> None:
    """Remind every on-duty grid worker once (one message each, naming their grids), then
    schedule the slot's next occurrence. A job of the due scheduler."""
    slot = next((s for s in times if format_patrol_times([s]) == item.ref), None)
    if slot is None:
        return  # the slot is no longer configured: its chain ends here
    now = ctx.clock.now()
    if now - item.due_at <= STALE_AFTER:
        await remind_grid_workers(uow, ctx, item.ref)
    await schedule(uow, DueKind.PATROL_REMINDER, item.ref, next_occurrence(slot, now, ctx.tz))


async def remind_grid_workers(uow: UnitOfWork, ctx: Context, slot: str) -> int:
    """One message per on-duty grid worker of any grid; returns how many were queued."""
    grids = {u.code: u for u in await uow.org.list_units() if u.level == UnitLevel.GRID}
    by_person: dict[int, list[OrgUnit]] = {}
    for role in await uow.people.assignments_on(list(grids)):
        if role.role == Role.GRID_WORKER and role.on_duty:
            by_person.setdefault(role.person_id, []).append(grids[role.unit_code])
    people = await uow.people.many(sorted(by_person)) if by_person else {}
    sent = 0
    for person_id, patrolled in sorted(by_person.items()):
        person = people.get(person_id)
        if person is not None:
            sent += await ctx.notices.patrol_reminder(uow, person, slot, patrolled)
    return sent
