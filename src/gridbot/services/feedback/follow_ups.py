"""回访: the follow-up visit of a closed case by whoever handled it (谁调处、谁回访).

A case that closes (rated, or unrated after the reminder) gets a visit due the category's
number of days later. When it falls due the visitor is told, with 回访正常 / 问题反复; not
done one ``FOLLOW_UP_GRACE`` later they are reminded once, and one more later the grid's
leader is told. 问题反复 reopens the case to its handler (重办, counted). Recording a visit
needs a note; a photo may go with it.

Follow-up items scheduled before this (at resolution, with only a ``visitor_id``) are
handled without a burst: for a case not closed they end (its visit comes when it closes);
for a closed one the visit is recorded as due then, told at once if it fell due within the
last day, else only listed (/visits, the morning brief) as overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gridbot.domain.case import Case, CaseEvent, CaseStatus, FollowUpOutcome, Visit
from gridbot.domain.deadlines import FOLLOW_UP_GRACE, defer_past_quiet_hours, follow_up_due
from gridbot.domain.errors import NoFollowUpDue
from gridbot.domain.lifecycle import CaseAction, apply
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.org import Category
from gridbot.domain.texts import check_photos, check_text
from gridbot.services.common import acting_on, cancel_due, category_of, record, schedule
from gridbot.services.context import Actor, Context, known
from gridbot.services.feedback.reopening import restart_handling
from gridbot.services.notices.table import FOLLOW_UP_DUE, FOLLOW_UP_LATE
from gridbot.services.ports import UnitOfWork

A = CaseAction
OUTCOMES = {
    FollowUpOutcome.NO_RECURRENCE: A.FOLLOW_UP_OK,
    FollowUpOutcome.RECURRED: A.FOLLOW_UP_RECURRED,
}
TOLD, REMINDED, LATE = 0, 1, 2  # the steps of a follow-up item


@dataclass(frozen=True)
class RecordFollowUp:
    """回访正常 or 问题反复, with what the visitor found (and photos)."""

    actor: Actor | None
    case_id: int
    outcome: FollowUpOutcome
    note: str | None = None
    photos: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckFollowUp:
    """Before the visitor is asked for their note: would the visit be taken now?"""

    actor: Actor | None
    case_id: int
    outcome: FollowUpOutcome


async def schedule_follow_up(
    uow: UnitOfWork, ctx: Context, case: Case, category: Category, closed_at: datetime
) -> Visit | None:
    """A closed issue or hazard: its visit, due the category's days after closing, for
    whoever resolved it (None for a wish, or a case nobody resolved)."""
    if case.is_wish or case.id is None:
        return None
    visitor = await resolver(uow, case)
    if visitor is None:
        return None
    visit = await uow.cases.add_visit(Visit(case.id, visitor, follow_up_due(closed_at, category)))
    at = defer_past_quiet_hours(visit.due_at, ctx.tz)
    await schedule(uow, DueKind.FOLLOW_UP, case.number, at, {"visit": visit.id, "step": TOLD})
    return visit


async def resolver(uow: UnitOfWork, case: Case) -> int | None:
    """Who resolved the case last (谁调处), else who holds it."""
    assert case.id is not None
    resolved = [e for e in await uow.cases.events(case.id) if e.action == A.RESOLVE]
    if resolved and resolved[-1].actor_id is not None:
        return resolved[-1].actor_id
    return case.assignee_id


async def check_follow_up(cmd: CheckFollowUp, ctx: Context) -> Case:
    """The checks ``record_follow_up`` makes, at the tap: NotFound, PermissionDenied,
    NoFollowUpDue (done already, or the case is not closed)."""
    async with ctx.reading() as uow:
        acting = await acting_on(
            uow, known(cmd.actor), cmd.case_id, OUTCOMES[FollowUpOutcome(cmd.outcome)], lock=False
        )
        await _open_visit(uow, acting.case)
    return acting.case


async def record_follow_up(cmd: RecordFollowUp, ctx: Context) -> Case:
    """Record the visit; 问题反复 reopens the case to its handler with a new deadline, and
    the reporter, the grid's leader and its branch secretary hear of it."""
    outcome = FollowUpOutcome(cmd.outcome)
    action = OUTCOMES[outcome]
    note, attachments = check_text(cmd.note), check_photos(cmd.photos)
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, action)
        case, now = acting.case, ctx.clock.now()
        visit = await _open_visit(uow, case)
        event = apply(
            case, action, actor_id=acting.person_id, now=now, note=note, attachments=attachments
        )
        if outcome == FollowUpOutcome.RECURRED:
            await restart_handling(uow, ctx, case, acting.category, now)
        visit.done_at, visit.outcome, visit.note = now, outcome, note
        await uow.cases.update_visit(visit)
        await cancel_due(uow, case, (DueKind.FOLLOW_UP,))  # done: nothing to remind of
        await record(uow, case, event)
        await ctx.notices.case_event(uow, case, event, category=acting.category, tree=acting.tree)
        await uow.commit()
    return case


async def follow_ups_due(
    uow: UnitOfWork, until: datetime, visitor_id: int | None = None
) -> Sequence[tuple[Visit, Case]]:
    """Visits not done, due by ``until`` (of ``visitor_id`` when given), with their cases,
    soonest first."""
    return await uow.cases.open_visits(until, visitor_id)


async def on_follow_up(item: DueItem, uow: UnitOfWork, ctx: Context) -> None:
    """The due scheduler's job: tell the visitor, remind them, then tell the grid leader;
    a visit done meanwhile, or a case reopened, ends it."""
    visit_id = item.payload.get("visit")
    if visit_id is None:
        await _before_visits(item, uow, ctx)
        return
    visit = await uow.cases.get_visit(int(visit_id))
    if visit is None or visit.done_at is not None:
        return
    case = await uow.cases.get(visit.case_id)
    if case is None or case.id is None or case.status != CaseStatus.CLOSED:
        return
    await _step(uow, ctx, visit, case, int(item.payload.get("step", TOLD)))


async def _step(uow: UnitOfWork, ctx: Context, visit: Visit, case: Case, step: int) -> None:
    org, now = await ctx.org.current(uow), ctx.clock.now()
    category = await category_of(uow, org, case)
    details: dict[str, Any] = {"visitor": visit.visitor_id, "due_at": visit.due_at}
    if step < LATE:
        event = _event(case, FOLLOW_UP_DUE, now)
        details["late"] = step > TOLD
        later = defer_past_quiet_hours(now + FOLLOW_UP_GRACE, ctx.tz)
        await schedule(
            uow, DueKind.FOLLOW_UP, case.number, later, {"visit": visit.id, "step": step + 1}
        )
    else:
        event = _event(case, FOLLOW_UP_LATE, now)
        visitor = await uow.people.get(visit.visitor_id)
        details["visitor_name"] = visitor.name if visitor else None
    await uow.cases.add_event(event)
    await ctx.notices.case_event(uow, case, event, category=category, **details)


async def _before_visits(item: DueItem, uow: UnitOfWork, ctx: Context) -> None:
    """A follow-up item scheduled before visits were recorded (see the module)."""
    case = await uow.cases.by_number(item.ref)
    if case is None or case.id is None or case.status != CaseStatus.CLOSED:
        return
    if await uow.cases.open_visit(case.id) is not None:
        return
    visitor = item.payload.get("visitor_id") or await resolver(uow, case)
    if visitor is None:
        return
    visit = await uow.cases.add_visit(Visit(case.id, int(visitor), item.due_at))
    if item.due_at >= ctx.clock.now() - FOLLOW_UP_GRACE:
        await _step(uow, ctx, visit, case, TOLD)


async def _open_visit(uow: UnitOfWork, case: Case) -> Visit:
    assert case.id is not None
    visit = await uow.cases.open_visit(case.id) if case.status == CaseStatus.CLOSED else None
    if visit is None:
        raise NoFollowUpDue(f"no follow-up due for case {case.number}", case=case.number)
    return visit


def _event(case: Case, action: str, now: datetime) -> CaseEvent:
    """A follow-up's reminder, a case event like a deadline's (the audit trail shows it)."""
    assert case.id is not None
    return CaseEvent(
        case_id=case.id,
        action=action,
        actor_id=None,
        at=now,
        from_status=case.status,
        to_status=case.status,
        level=case.level,
    )
