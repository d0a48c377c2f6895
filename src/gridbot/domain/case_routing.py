"""Dispatching a new case (派遣) with what the unit of work holds about its grid's chain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.case_common import tree_around
from gridbot.domain.errors import IllegalTransition, NoAssignee, NotFound, ValidationFailed
from gridbot.domain.lifecycle import CaseAction, apply
from gridbot.domain.org import Category, Person, Role, RoleAssignment
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.ports import UnitOfWork
from gridbot.domain.routing import Target, escalation_target, route_new_case

WISH_CATEGORY = "wish"
# Created on first use, inactive so that it never shows among the report categories;
# an org file may define a "wish" category to change its deadlines.
DEFAULT_WISH_CATEGORY = Category(
    code=WISH_CATEGORY,
    name="微心愿",
    name_en="Micro-wish",
    route_to=Role.BRANCH_SECRETARY,
    respond_hours=24,
    resolve_hours=24 * 30,
    follow_up_days=0,
    active=False,
)
_WITH_DEPARTMENT = (Role.GRID_GUIDE, Role.DEPARTMENT_LIAISON)


async def wish_category(uow: UnitOfWork) -> Category:
    category = await uow.categories.get(WISH_CATEGORY)
    if category is None:
        category = await uow.categories.save(replace(DEFAULT_WISH_CATEGORY))
    return category


async def grid_team(
    uow: UnitOfWork, case: Case
) -> tuple[OrgTree, Sequence[RoleAssignment], Mapping[int, Person]]:
    """The tree around the case's grid, the roles held on that chain, and the people whose
    department routing reads (guides and liaisons)."""
    tree = await tree_around(uow, [case.grid_code])
    chain = [case.grid_code, *(u.code for u in tree.ancestors(case.grid_code))]
    assignments = await uow.people.assignments_on(chain)
    with_department = [a.person_id for a in assignments if a.role in _WITH_DEPARTMENT]
    return tree, assignments, await uow.people.many(with_department)


async def assign_new_case(
    uow: UnitOfWork, case: Case, category: Category, now: datetime
) -> CaseEvent | None:
    """Assign a saved, submitted case to its first assignee and return the event.

    Nobody on duty in the grid: the community (else the street) takes it, as an escalation
    would. Nobody anywhere: the case stays submitted and unassigned (None); its response
    deadline then calls up the chain.
    """
    tree, assignments, people = await grid_team(uow, case)
    target = _first_target(case, category, tree, assignments, people)
    if target is None:
        return None
    level, unit_code, assignee = target
    if case.is_wish:
        return _await_approval(case, assignee, now)
    return apply(
        case,
        CaseAction.ASSIGN,
        actor_id=None,
        now=now,
        assignee_id=assignee,
        level=level,
        unit_code=unit_code,
    )


def _first_target(
    case: Case,
    category: Category,
    tree: OrgTree,
    assignments: Sequence[RoleAssignment],
    people: Mapping[int, Person],
) -> Target | None:
    try:
        return case.level, case.grid_code, route_new_case(case, category, tree, assignments, people)
    except NoAssignee:
        if case.is_wish:
            return None  # a wish is the grid's own business: it waits for its secretary
    try:
        return escalation_target(case, tree, assignments, people)
    except (NoAssignee, IllegalTransition):
        return None


def _await_approval(case: Case, approver: int, now: datetime) -> CaseEvent:
    """A wish has no "assigned" status: it stays submitted, in its approver's hands."""
    assert case.id is not None
    case.assignee_id, case.updated_at = approver, now
    return CaseEvent(
        case_id=case.id,
        action=CaseAction.ASSIGN.value,
        actor_id=None,
        at=now,
        from_status=case.status,
        to_status=case.status,
        level=case.level,
        assignee_id=approver,
    )


async def report_category(uow: UnitOfWork, code: str) -> Category:
    """The category a report or a patrol hazard is filed under: known, open, and not the
    internal category of wishes."""
    category = await uow.categories.get(code)
    if category is None:
        raise NotFound(f"no category {code!r}", category=code)
    if not category.active or category.code == WISH_CATEGORY:
        raise ValidationFailed(f"category {code!r} is not open", code="category_inactive")
    return category
