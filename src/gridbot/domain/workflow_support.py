"""What the workflow use cases share: the locked case with its actor, the audit record, the
notices to a new assignee, and the response deadline of a hand-over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from gridbot.domain.binding import BindingKind
from gridbot.domain.case import Case, CaseEvent, CaseLevel, Priority
from gridbot.domain.case_common import known_staff, locked_case, tree_around
from gridbot.domain.case_notices import assignee_keyboard, local
from gridbot.domain.due import reschedule
from gridbot.domain.errors import NotFound
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.messaging import DueKind
from gridbot.domain.notices import Notifier
from gridbot.domain.org import Category, Role, Staff, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import action_for, require
from gridbot.domain.ports import UnitOfWork
from gridbot.domain.routing import holders

DEPARTMENT_RESPOND_HOURS = 2.0  # a whistled department reports for duty within this
URGENT_FACTOR = 0.5
HANDED_OVER = "notices/case_handed_over.html.j2"
CC = "notices/case_cc.html.j2"
WORKER_GROUP_LINE = "notices/worker_group_line.html.j2"


@dataclass(frozen=True)
class Acting:
    """Who acts on which case (loaded with its row locked), and the tree around both."""

    staff: Staff
    case: Case
    tree: OrgTree

    @property
    def person_id(self) -> int:
        assert self.staff.person.id is not None
        return self.staff.person.id

    @property
    def case_id(self) -> int:
        assert self.case.id is not None
        return self.case.id


async def acting_on(
    uow: UnitOfWork,
    telegram_id: int,
    case_id: int,
    action: CaseAction | Callable[[Case], CaseAction],
) -> Acting:
    """The actor and the locked case, once policy allows ``action`` (or the action picked
    for this case); raises NotBound, NotFound or PermissionDenied otherwise."""
    staff = await known_staff(uow, telegram_id)
    case = await locked_case(uow, case_id)
    codes = [case.grid_code, case.unit_code or case.grid_code]
    tree = await tree_around(uow, [*codes, *(a.unit_code for a in staff.roles)])
    picked = action if isinstance(action, CaseAction) else action(case)
    require(staff, action_for(picked), tree=tree, case=case)
    return Acting(staff, case, tree)


async def category_of(uow: UnitOfWork, case: Case) -> Category:
    category = await uow.categories.get(case.category_code)
    if category is None:
        raise NotFound(f"no category {case.category_code!r}", category=case.category_code)
    return category


def respond_hours(
    category: Category, priority: Priority, level: CaseLevel, department: str | None = None
) -> float:
    """How long a new holder has to accept: a department by its own deadline (the
    category's when it is that department's category), urgent cases in half the time."""
    hours = category.respond_hours
    if level == CaseLevel.DEPARTMENT and category.department != department:
        hours = DEPARTMENT_RESPOND_HOURS
    return hours * (URGENT_FACTOR if priority == Priority.URGENT else 1.0)


async def restart_response_clock(
    uow: UnitOfWork, case: Case, category: Category, now: datetime
) -> datetime:
    """A hand-over gives the new holder a fresh response deadline (``respond_by`` keeps the
    first one: the response rate measures the first acceptance). Earlier reminders go."""
    due = now + timedelta(hours=respond_hours(category, case.priority, case.level, case.department))
    payload = {"step": 0, "assignee_id": case.assignee_id, "level": case.level.value}
    await reschedule(uow, DueKind.RESPOND_DEADLINE, case.number, due, payload)
    return due


async def tell_new_assignee(
    uow: UnitOfWork,
    notifier: Notifier,
    tz: tzinfo | str,
    case: Case,
    event: CaseEvent,
    accept_by: datetime,
) -> None:
    """The case card (with its buttons) to whoever now holds the case, a copy without
    buttons to the grid's branch secretary, a short line to the grid's worker groups."""
    category = await category_of(uow, case)
    people = await uow.people.many([p for p in (event.actor_id, case.assignee_id) if p])
    by, holder = (people.get(p) if p else None for p in (event.actor_id, case.assignee_id))
    common: dict[str, Any] = {
        "case": case,
        "category": category,
        "event": event,
        "by": by.name if by else None,
        "assignee": holder.name if holder else None,
    }
    if case.assignee_id is not None:
        await notifier.to_person(
            uow,
            case.assignee_id,
            HANDED_OVER,
            keyboard=assignee_keyboard(case),
            photo=case.photos[0] if case.photos else None,
            respond_by=local(accept_by, tz),
            resolve_by=local(case.resolve_by, tz),
            **common,
        )
        spot = case.location
        if spot is not None and spot.latitude is not None and spot.longitude is not None:
            await notifier.pin_to_person(uow, case.assignee_id, spot.latitude, spot.longitude)
    for secretary in await grid_secretaries(uow, case):
        if secretary not in (case.assignee_id, event.actor_id):
            await notifier.to_person(uow, secretary, CC, **common)
    for binding in await uow.bindings.for_unit(case.grid_code):
        if binding.active and binding.kind == BindingKind.WORKER_GROUP:
            await notifier.to_chat(
                uow,
                binding.chat_id,
                WORKER_GROUP_LINE,
                number=case.number,
                category=category,
                action=event.action,
                level=case.level.value,
            )


async def grid_secretaries(uow: UnitOfWork, case: Case) -> list[int]:
    """The on-duty branch secretary of the case's grid, else of its community (支部书记)."""
    tree = await tree_around(uow, [case.grid_code])
    units = [tree.grid_of(case.grid_code), tree.ancestor_at(case.grid_code, UnitLevel.COMMUNITY)]
    codes = [unit.code for unit in units if unit is not None]
    assignments = await uow.people.assignments_on(codes)
    for code in codes:
        found = holders(assignments, [Role.BRANCH_SECRETARY], [code])
        if found:
            return found[:1]
    return []
