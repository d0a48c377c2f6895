"""Patrols (巡查): a grid worker's round of their grid, the hazards they report on it
(巡查上报) and the ones they fix where they find them (现场整改).

A hazard found on patrol is assigned to the worker who found it and accepted at once:
they are the grid's worker and already there. If it needs someone else, they transfer or
escalate it like any case. A hazard fixed on the spot is resolved at once, marked
``on_the_spot``, and counted in the patrol.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from gridbot.domain.case import Case, CaseEvent, CaseKind, CaseLevel, CaseStatus, Location, Priority
from gridbot.domain.case_common import check_photos, check_text, known_staff, zone
from gridbot.domain.case_routing import report_category
from gridbot.domain.deadlines import compute_deadlines
from gridbot.domain.due import schedule
from gridbot.domain.errors import IllegalTransition, PermissionDenied, ValidationFailed
from gridbot.domain.lifecycle import CaseAction, apply
from gridbot.domain.messaging import DueKind
from gridbot.domain.notices import Notifier
from gridbot.domain.org import Role, Staff, UnitLevel
from gridbot.domain.patrol_reminders import (
    DEFAULT_PATROL_TIMES,
    ensure_patrol_reminders,
    format_patrol_times,
    next_occurrence,
    on_patrol_reminder,
    parse_patrol_times,
)
from gridbot.domain.ports import Clock, UnitOfWork

__all__ = [
    "DEFAULT_PATROL_TIMES",
    "NoPatrol",
    "Patrol",
    "PatrolUnderWay",
    "end_patrol",
    "ensure_patrol_reminders",
    "format_patrol_times",
    "next_occurrence",
    "on_patrol_reminder",
    "parse_patrol_times",
    "patrol_grid",
    "report_patrol_hazard",
    "start_patrol",
]

# Who patrols a grid, in the order their grid is picked when they hold several roles.
PATROL_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER, Role.BRANCH_SECRETARY)


@dataclass
class Patrol:
    person_id: int
    grid_code: str
    started_at: datetime
    ended_at: datetime | None = None
    hazards: int = 0  # hazards reported on this patrol
    fixed_on_spot: int = 0  # of which fixed where they were found (现场整改)
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class PatrolUnderWay(IllegalTransition):
    """The person already has an open patrol."""

    code = "patrol_under_way"


class NoPatrol(IllegalTransition):
    """The person has no open patrol to end."""

    code = "no_patrol"


async def patrol_grid(uow: UnitOfWork, staff: Staff) -> str:
    """The grid a person patrols: the grid they work on (or lead); PermissionDenied else."""
    for role in PATROL_ROLES:
        for code in staff.units_for(role):
            unit = await uow.org.get_unit(code)
            if unit is not None and unit.level == UnitLevel.GRID:
                return unit.code
    raise PermissionDenied(
        f"{staff.person.name} works on no grid", action="patrol", person_id=staff.person.id
    )


async def start_patrol(uow: UnitOfWork, clock: Clock, telegram_id: int) -> Patrol:
    """Start a patrol of the worker's grid; PatrolUnderWay if one is already open."""
    staff = await known_staff(uow, telegram_id)
    person_id = _id(staff)
    if await uow.patrols.open_for(person_id) is not None:
        raise PatrolUnderWay(f"{staff.person.name} is already on patrol", person_id=person_id)
    grid = await patrol_grid(uow, staff)
    return await uow.patrols.add(Patrol(person_id, grid, started_at=clock.now()))


async def end_patrol(uow: UnitOfWork, clock: Clock, telegram_id: int) -> Patrol:
    """End the worker's open patrol and return it with its counts; NoPatrol without one."""
    staff = await known_staff(uow, telegram_id)
    patrol = await uow.patrols.open_for(_id(staff))
    if patrol is None:
        raise NoPatrol(f"{staff.person.name} is not on patrol", person_id=staff.person.id)
    patrol.ended_at = clock.now()
    await uow.patrols.update(patrol)
    return patrol


async def report_patrol_hazard(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    tz: tzinfo | str,
    telegram_id: int,
    category_code: str,
    text: str,
    photos: Sequence[str] = (),
    location: Location | None = None,
    fixed_on_spot: bool = False,
) -> Case:
    """巡查上报: register a hazard the worker found, on the grid of their open patrol (else
    their own grid), assigned to and accepted by them. ``fixed_on_spot``: resolved at once
    (现场整改), which needs a photo when the category requires evidence. Nobody else is
    told (``notifier`` is unused): the worker who found it owns it."""
    staff, now = await known_staff(uow, telegram_id), clock.now()
    person_id = _id(staff)
    note, attachments = check_text(text), check_photos(photos)
    category = await report_category(uow, category_code)
    if fixed_on_spot and category.requires_evidence and not attachments:
        raise ValidationFailed("a fix on the spot needs a photo", code="evidence_required")
    patrol = await uow.patrols.open_for(person_id)
    grid = patrol.grid_code if patrol is not None else await patrol_grid(uow, staff)
    respond_by, resolve_by = compute_deadlines(category, Priority.NORMAL, now, tz)
    case = Case(
        number=await uow.cases.next_number(now.astimezone(zone(tz)).year),
        kind=CaseKind.HAZARD,
        category_code=category.code,
        text=note,
        reporter_id=person_id,
        grid_code=grid,
        unit_code=grid,
        created_at=now,
        photos=list(attachments),
        location=location,
        respond_by=respond_by,
        resolve_by=resolve_by,
        updated_at=now,
    )
    case = await uow.cases.add(case)
    for event in _found_on_patrol(case, person_id, now, fixed_on_spot, attachments):
        await uow.cases.add_event(event)
    case.on_the_spot = fixed_on_spot
    await uow.cases.update(case)
    if not fixed_on_spot and case.resolve_by is not None:
        await schedule(uow, DueKind.RESOLVE_DEADLINE, case.number, case.resolve_by)
    if patrol is not None:
        patrol.hazards += 1
        patrol.fixed_on_spot += int(fixed_on_spot)
        await uow.patrols.update(patrol)
    return case


def _found_on_patrol(
    case: Case, person_id: int, now: datetime, fixed: bool, photos: Sequence[str]
) -> list[CaseEvent]:
    """The trail of a hazard found on patrol: submitted, assigned to and accepted by its
    finder, and resolved when fixed on the spot."""
    assert case.id is not None
    events = [
        CaseEvent(
            case_id=case.id,
            action=CaseAction.SUBMIT.value,
            actor_id=person_id,
            at=now,
            from_status=None,
            to_status=CaseStatus.SUBMITTED,
            attachments=tuple(photos),
        ),
        apply(
            case,
            CaseAction.ASSIGN,
            actor_id=person_id,
            now=now,
            assignee_id=person_id,
            level=CaseLevel.GRID,
            unit_code=case.grid_code,
        ),
        apply(case, CaseAction.ACCEPT, actor_id=person_id, now=now),
    ]
    if fixed:
        events.append(
            apply(
                case,
                CaseAction.RESOLVE,
                actor_id=person_id,
                now=now,
                note=case.text,
                attachments=photos,
            )
        )
    return events


def _id(staff: Staff) -> int:
    assert staff.person.id is not None  # known_staff returns saved people only
    return staff.person.id
