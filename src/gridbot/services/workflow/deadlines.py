"""Missed deadlines: remind the assignee, then call up the chain (逐级呼叫), one step at a time.

A RESPOND_DEADLINE or RESOLVE_DEADLINE item carries ``{"step": n}``: step 0 reminds the
assignee, step n ≥ 1 calls up the n-th person of ``routing.call_up_chain`` (grid leader →
community → street). Each step schedules the next one, spaced by the case's priority, so
every step runs once (the due table refuses a second (kind, ref, due_at) anyway). A case that
moved on meanwhile ends the chase. Non-urgent reminders wait out the quiet hours.

These are jobs of the due scheduler: they run in its unit of work, so what they change and
queue commits together with the item's done mark.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from gridbot.domain.case import Case, CaseEvent, Priority
from gridbot.domain.deadlines import defer_past_quiet_hours, in_quiet_hours, next_call_up
from gridbot.domain.lifecycle import OPEN, WAITING
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.routing import call_up_chain
from gridbot.services.common import find_case, schedule
from gridbot.services.context import Context
from gridbot.services.notices.table import CALL_UP, REMIND
from gridbot.services.ports import UnitOfWork
from gridbot.services.teams import grid_team


async def on_respond_deadline(item: DueItem, uow: UnitOfWork, ctx: Context) -> None:
    """Nobody accepted the case in time (响应超时): remind, then call up the chain."""
    await _chase(item, uow, ctx, lambda case: case.status in WAITING)


async def on_resolve_deadline(item: DueItem, uow: UnitOfWork, ctx: Context) -> None:
    """The case is not resolved in time (办理超时): remind, then call up the chain."""
    await _chase(item, uow, ctx, lambda case: case.status in OPEN)


async def _chase(
    item: DueItem, uow: UnitOfWork, ctx: Context, still_due: Callable[[Case], bool]
) -> None:
    found = await uow.cases.by_number(item.ref)
    if found is None or found.id is None:
        return
    case, now = await find_case(uow, found.id, lock=True), ctx.clock.now()
    if not still_due(case):
        return
    if case.priority != Priority.URGENT and in_quiet_hours(now, ctx.tz):
        await schedule(uow, item.kind, item.ref, defer_past_quiet_hours(now, ctx.tz), item.payload)
        return
    org = await ctx.org.current(uow)
    team = await grid_team(uow, case.grid_code, org.tree)
    chain = call_up_chain(case, team.tree, team.assignments)
    step = int(item.payload.get("step", 0))
    if step == 0 and case.assignee_id is None:
        step = 1  # nobody to remind: straight to the chain
    if step == 0:
        await _tell(uow, ctx, case, item.kind, REMIND, item.kind.value, now)
    elif step <= len(chain):
        called = chain[step - 1]
        person = await uow.people.get(called)
        note = f"{item.kind.value}: {person.name if person else called}"
        await _tell(uow, ctx, case, item.kind, CALL_UP, note, now, called)
    if step < len(chain):
        at = next_call_up(now, case.priority, ctx.tz)
        await schedule(uow, item.kind, item.ref, at, {**item.payload, "step": step + 1})


async def _tell(
    uow: UnitOfWork,
    ctx: Context,
    case: Case,
    kind: DueKind,
    action: str,
    note: str,
    now: datetime,
    called: int | None = None,
) -> None:
    """Every reminder is a case event too: the audit trail shows who was chased, when."""
    assert case.id is not None
    event = CaseEvent(
        case_id=case.id,
        action=action,
        actor_id=None,
        at=now,
        from_status=case.status,
        to_status=case.status,
        note=note,
        level=case.level,
    )
    await uow.cases.add_event(event)
    deadline = case.respond_by if kind == DueKind.RESPOND_DEADLINE else case.resolve_by
    details: dict[str, Any] = {"deadline": kind.value, "due": deadline}
    if called is not None:
        details["called"] = called
    await ctx.notices.case_event(uow, case, event, **details)
