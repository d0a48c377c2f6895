"""What a person may read about cases: their own list, and one case with its timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.case_common import find_case, known_person, known_staff, tree_around
from gridbot.domain.lifecycle import CaseAction, allowed_actions
from gridbot.domain.org import Category, Staff
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import Action, action_for, may, require
from gridbot.domain.ports import UnitOfWork

# Supervision between staff stays among staff: a reporter's timeline leaves it out.
# Reminders and call-ups name the staff who were chased: the handlers' business only.
_STAFF_ONLY_EVENTS = frozenset({CaseAction.URGE.value, "remind", "call_up"})


@dataclass(frozen=True)
class CaseView:
    """One case as ``viewer_id`` may see it.

    ``names`` maps the ids of the people in the timeline (actors, assignees) to their
    names; phones are never part of it. ``reporter_phone`` is set only for those who must
    contact the reporter. ``actions`` are what this viewer may do next (for buttons).
    """

    case: Case
    category: Category | None
    events: tuple[CaseEvent, ...]
    viewer_id: int
    names: Mapping[int, str] = field(default_factory=dict)
    actions: tuple[CaseAction, ...] = ()
    reporter_phone: str | None = None

    @property
    def is_reporter(self) -> bool:
        return self.case.reporter_id == self.viewer_id


async def my_cases(uow: UnitOfWork, telegram_id: int, limit: int = 20) -> list[Case]:
    """The person's own issues, hazards and wishes, newest first; NotBound for a stranger."""
    person = await known_person(uow, telegram_id)
    assert person.id is not None
    return list(await uow.cases.by_reporter(person.id, limit=limit))


async def case_view(uow: UnitOfWork, telegram_id: int, case_id_or_number: int | str) -> CaseView:
    """A case with its category and timeline, for whoever policy ``view_case`` lets see it:
    the reporter, those handling it, supervisors (and neighbours, for a public case).
    NotFound for an unknown case, PermissionDenied for anyone else."""
    staff = await known_staff(uow, telegram_id)
    case = await find_case(uow, case_id_or_number)
    tree = await _tree_for(uow, staff, case)
    require(staff, Action.VIEW_CASE, tree=tree, case=case)
    assert case.id is not None and staff.person.id is not None
    events = tuple(await uow.cases.events(case.id))
    if not _handles(staff, tree, case):
        events = tuple(e for e in events if e.action not in _STAFF_ONLY_EVENTS)
    # A neighbour sees a public case only because it is public: statuses, never who
    # reported it or what notes and photos say about people.
    neighbour = not may(staff, Action.VIEW_CASE, tree=tree, case=replace(case, public=False))
    if neighbour:
        events = tuple(replace(e, note=None, attachments=()) for e in events)
    reporter_phone = None
    contact = may(staff, Action.VIEW_REPORTER_CONTACT, tree=tree, case=case)
    if contact and case.reporter_id is not None and case.reporter_id != staff.person.id:
        reporter = await uow.people.get(case.reporter_id)
        reporter_phone = reporter.phone if reporter else None
    return CaseView(
        case=case,
        category=await uow.categories.get(case.category_code),
        events=events,
        viewer_id=staff.person.id,
        names=await _names(uow, case, events, with_reporter=not neighbour),
        actions=tuple(
            a for a in allowed_actions(case) if may(staff, action_for(a), tree=tree, case=case)
        ),
        reporter_phone=reporter_phone,
    )


async def _tree_for(uow: UnitOfWork, staff: Staff, case: Case) -> OrgTree:
    codes = [case.grid_code, case.unit_code or case.grid_code]
    return await tree_around(uow, [*codes, *(a.unit_code for a in staff.roles)])


def _handles(staff: Staff, tree: OrgTree, case: Case) -> bool:
    return may(staff, Action.ACCEPT, tree=tree, case=case)


async def _names(
    uow: UnitOfWork, case: Case, events: tuple[CaseEvent, ...], *, with_reporter: bool
) -> dict[int, str]:
    ids = {case.assignee_id, case.claimant_id, case.reporter_id}
    ids.update(e.actor_id for e in events)
    ids.update(e.assignee_id for e in events)
    if not with_reporter:
        ids.discard(case.reporter_id)
    people = await uow.people.many([pid for pid in ids if pid is not None])
    return {pid: person.name for pid, person in people.items()}
