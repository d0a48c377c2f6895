"""Hand-overs: transfer (转派), escalate one level up (上报), whistle to a department (吹哨).

小事不出网格、大事不出社区: a case climbs grid → community → street; the street whistles to
a department, whose liaison reports for duty (报到). Every step is an event that records the
new level and assignee, so reports can say where a case was finally handled.
"""

from __future__ import annotations

from datetime import tzinfo

from gridbot.domain.case import Case, CaseEvent, CaseLevel
from gridbot.domain.case_common import check_text, locked_case, record, tree_around
from gridbot.domain.case_notices import announce
from gridbot.domain.case_routing import grid_team
from gridbot.domain.errors import ValidationFailed
from gridbot.domain.lifecycle import CaseAction, apply, next_status
from gridbot.domain.notices import Notifier
from gridbot.domain.org import Role, UnitLevel
from gridbot.domain.ports import Clock, UnitOfWork
from gridbot.domain.routing import escalation_target, holders, whistle_target
from gridbot.domain.workflow_support import (
    Acting,
    acting_on,
    category_of,
    restart_response_clock,
    tell_new_assignee,
)
from gridbot.domain.workflow_views import find_target

A = CaseAction


def _note(note: str | None) -> str | None:
    return check_text(note) if note is not None and note.strip() else None


async def _hand_over(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    tz: tzinfo | str,
    acting: Acting,
    event: CaseEvent,
) -> Case:
    """Record the move, restart the response clock for the new holder, tell everyone."""
    case = acting.case
    await record(uow, case, event)
    accept_by = await restart_response_clock(uow, case, await category_of(uow, case), clock.now())
    await tell_new_assignee(uow, notifier, tz, case, event, accept_by)
    await announce(uow, notifier, case, event)
    return case


async def transfer_case(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    tz: tzinfo | str,
    telegram_id: int,
    case_id: int,
    to_person_id: int,
    note: str | None = None,
) -> Case:
    """转派: to another worker of the grid or of another grid of the community (one of
    ``transfer_targets``); the case then belongs to that worker's grid."""
    acting = await acting_on(uow, telegram_id, case_id, A.TRANSFER)
    next_status(acting.case.kind, acting.case.status, A.TRANSFER)
    text = _note(note)
    target = await find_target(uow, acting.case, to_person_id)
    if target is None:
        raise ValidationFailed(
            f"person {to_person_id} cannot take case {acting.case.number}",
            code="transfer_target",
            person_id=to_person_id,
        )
    event = apply(
        acting.case,
        A.TRANSFER,
        actor_id=acting.person_id,
        now=clock.now(),
        note=text,
        assignee_id=target.person_id,
        level=CaseLevel.GRID,
        unit_code=target.unit_code,
    )
    return await _hand_over(uow, clock, notifier, tz, acting, event)


async def escalate_case(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    tz: tzinfo | str,
    telegram_id: int,
    case_id: int,
    note: str | None = None,
) -> Case:
    """上报: one level up, grid → community → street (a community with nobody on duty is
    skipped). At the street the case is whistled to a department instead."""
    acting = await acting_on(uow, telegram_id, case_id, A.ESCALATE)
    case = acting.case
    next_status(case.kind, case.status, A.ESCALATE)
    text = _note(note)
    tree, assignments, people = await grid_team(uow, case)
    level, unit_code, assignee = escalation_target(case, tree, assignments, people)
    event = apply(
        case,
        A.ESCALATE,
        actor_id=acting.person_id,
        now=clock.now(),
        note=text,
        assignee_id=assignee,
        level=level,
        unit_code=unit_code,
    )
    return await _hand_over(uow, clock, notifier, tz, acting, event)


async def whistle_departments(uow: UnitOfWork, case_id: int) -> list[str]:
    """The departments a case can be whistled to: those with an on-duty liaison on its
    street or district, by name."""
    return await _departments(uow, await locked_case(uow, case_id))


async def _departments(uow: UnitOfWork, case: Case) -> list[str]:
    tree = await tree_around(uow, [case.grid_code])
    levels = (UnitLevel.STREET, UnitLevel.DISTRICT)
    units = [tree.ancestor_at(case.grid_code, level) for level in levels]
    codes = [u.code for u in units if u is not None]
    liaisons = holders(await uow.people.assignments_on(codes), [Role.DEPARTMENT_LIAISON], codes)
    people = await uow.people.many(liaisons)
    return sorted({p.department for p in people.values() if p.department})


async def whistle_case(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    tz: tzinfo | str,
    telegram_id: int,
    case_id: int,
    department: str,
    note: str | None = None,
) -> Case:
    """吹哨: the street's dispatcher hands the case to ``department``'s liaison, who must
    report for duty (报到) within the department's response time."""
    acting = await acting_on(uow, telegram_id, case_id, A.WHISTLE)
    case = acting.case
    next_status(case.kind, case.status, A.WHISTLE)
    text = _note(note)
    if department not in await _departments(uow, case):
        raise ValidationFailed(
            f"no liaison of {department!r} for case {case.number}",
            code="department",
            department=department,
        )
    tree, assignments, people = await grid_team(uow, case)
    _, unit_code, liaison = whistle_target(case, department, tree, assignments, people)
    event = apply(
        case,
        A.WHISTLE,
        actor_id=acting.person_id,
        now=clock.now(),
        note=text,
        assignee_id=liaison,
        unit_code=unit_code,
        department=department,
    )
    return await _hand_over(uow, clock, notifier, tz, acting, event)
