"""Missed deadlines: remind the assignee, then call up the chain (逐级呼叫), one step at a time.

A RESPOND_DEADLINE or RESOLVE_DEADLINE item carries ``{"step": n}``: step 0 reminds the
assignee, step n ≥ 1 calls up the n-th person of ``routing.call_up_chain`` (grid leader →
community → street). Each step schedules the next one, spaced by the case's priority, so
every step runs once (the due table refuses a second (kind, ref, due_at) anyway). A case that
moved on meanwhile ends the chase. Non-urgent reminders wait out the quiet hours.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from gridbot.domain.case import Case, CaseEvent, Priority
from gridbot.domain.case_common import locked_case
from gridbot.domain.case_notices import local
from gridbot.domain.case_routing import grid_team
from gridbot.domain.deadlines import defer_past_quiet_hours, in_quiet_hours
from gridbot.domain.due import schedule
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.notices import Notifier
from gridbot.domain.ports import Clock, UnitOfWork
from gridbot.domain.routing import call_up_chain
from gridbot.domain.workflow_support import category_of
from gridbot.domain.workflow_views import OPEN, WAITING

REMIND = "remind"
CALL_UP = "call_up"
REMINDER = "notices/reminder.html.j2"
CALL_UP_NOTICE = "notices/call_up.html.j2"
CALL_UP_SPACING = {Priority.NORMAL: timedelta(minutes=30), Priority.URGENT: timedelta(minutes=10)}


async def on_respond_deadline(
    item: DueItem, uow: UnitOfWork, clock: Clock, notifier: Notifier, tz: tzinfo | str
) -> None:
    """Nobody accepted the case in time (响应超时): remind, then call up the chain."""
    await _chase(item, uow, clock, notifier, tz, lambda case: case.status in WAITING)


async def on_resolve_deadline(
    item: DueItem, uow: UnitOfWork, clock: Clock, notifier: Notifier, tz: tzinfo | str
) -> None:
    """The case is not resolved in time (办理超时): remind, then call up the chain."""
    await _chase(item, uow, clock, notifier, tz, lambda case: case.status in OPEN)


async def _chase(
    item: DueItem,
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    tz: tzinfo | str,
    still_due: Callable[[Case], bool],
) -> None:
    found = await uow.cases.by_number(item.ref)
    if found is None or found.id is None:
        return
    case, now = await locked_case(uow, found.id), clock.now()
    if not still_due(case):
        return
    urgent = case.priority == Priority.URGENT
    if not urgent and in_quiet_hours(now, tz):
        await schedule(uow, item.kind, item.ref, defer_past_quiet_hours(now, tz), item.payload)
        return
    tree, assignments, _ = await grid_team(uow, case)
    chain = call_up_chain(case, tree, assignments)
    step = int(item.payload.get("step", 0))
    if step == 0 and case.assignee_id is None:
        step = 1  # nobody to remind: straight to the chain
    if step == 0:
        assert case.assignee_id is not None
        await _remind(uow, notifier, tz, case, item.kind, case.assignee_id, now)
    elif step <= len(chain):
        await _call_up(uow, notifier, tz, case, item.kind, chain[step - 1], now)
    if step < len(chain):
        await _schedule_step(uow, item, step + 1, _next_time(now, case.priority, tz))


def _next_time(now: datetime, priority: Priority, tz: tzinfo | str) -> datetime:
    at = now + CALL_UP_SPACING[priority]
    return at if priority == Priority.URGENT else defer_past_quiet_hours(at, tz)


async def _schedule_step(uow: UnitOfWork, item: DueItem, step: int, at: datetime) -> None:
    await schedule(uow, item.kind, item.ref, at, {**item.payload, "step": step})


def _deadline(case: Case, kind: DueKind) -> datetime | None:
    return case.respond_by if kind == DueKind.RESPOND_DEADLINE else case.resolve_by


async def _remind(
    uow: UnitOfWork,
    notifier: Notifier,
    tz: tzinfo | str,
    case: Case,
    kind: DueKind,
    person_id: int,
    now: datetime,
) -> None:
    await notifier.to_person(
        uow,
        person_id,
        REMINDER,
        case=case,
        category=await category_of(uow, case),
        deadline=kind.value,
        due=local(_deadline(case, kind), tz),
    )
    await _log(uow, case, REMIND, kind.value, now)


async def _call_up(
    uow: UnitOfWork,
    notifier: Notifier,
    tz: tzinfo | str,
    case: Case,
    kind: DueKind,
    person_id: int,
    now: datetime,
) -> None:
    people = await uow.people.many([p for p in (person_id, case.assignee_id) if p is not None])
    holder = people.get(case.assignee_id) if case.assignee_id is not None else None
    called = people.get(person_id)
    await notifier.to_person(
        uow,
        person_id,
        CALL_UP_NOTICE,
        case=case,
        category=await category_of(uow, case),
        deadline=kind.value,
        due=local(_deadline(case, kind), tz),
        assignee=holder.name if holder else None,
    )
    await _log(uow, case, CALL_UP, f"{kind.value}: {called.name if called else person_id}", now)


async def _log(uow: UnitOfWork, case: Case, action: str, note: str, now: datetime) -> None:
    """Every reminder is a case event too: the audit trail shows who was chased, when."""
    assert case.id is not None
    await uow.cases.add_event(
        CaseEvent(
            case_id=case.id,
            action=action,
            actor_id=None,
            at=now,
            from_status=case.status,
            to_status=case.status,
            note=note,
            level=case.level,
        )
    )
