"""What a person may read about cases: their own list, and one case with its timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.lifecycle import CaseAction, allowed_actions
from gridbot.domain.org import Category, Staff
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import Action, action_for, may, require
from gridbot.services.common import case_units, find_case, tree_around
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork

# Supervision between staff stays among staff: a reporter's timeline leaves it out.
# Reminders and call-ups name the staff who were chased: the handlers' business only.
_STAFF_ONLY_EVENTS = frozenset({CaseAction.URGE.value, "remind", "call_up", "grid_unreachable"})
MOST_LISTED = 200


@dataclass(frozen=True)
class MyCases:
    actor: Actor | None
    limit: int = MOST_LISTED


@dataclass(frozen=True)
class CaseList:
    """The person's own cases, newest first, with the categories they are filed under."""

    cases: tuple[Case, ...]
    categories: Mapping[str, Category]


@dataclass(frozen=True)
class ViewCase:
    actor: Actor | None
    ref: int | str  # a case id, or a number as typed (2026-000123)


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


async def my_cases(cmd: MyCases, ctx: Context) -> CaseList:
    """The person's own issues, hazards and wishes; NotBound for a stranger."""
    actor = known(cmd.actor)
    async with ctx.reading() as uow:
        cases = tuple(await uow.cases.by_reporter(actor.id, limit=cmd.limit))
    codes = {case.category_code for case in cases}
    return CaseList(cases, {c.code: c for c in actor.org.categories if c.code in codes})


async def case_view(cmd: ViewCase, ctx: Context) -> CaseView:
    """A case with its category and timeline, for whoever policy ``view_case`` lets see it:
    the reporter, those handling it, supervisors (and neighbours, for a public case).
    NotFound for an unknown case, PermissionDenied for anyone else."""
    actor = known(cmd.actor)
    async with ctx.reading() as uow:
        return await view_of(uow, actor, await find_case(uow, cmd.ref))


async def view_of(uow: UnitOfWork, actor: Actor, case: Case) -> CaseView:
    staff = actor.staff
    tree = await tree_around(uow, case_units(case), actor.tree)
    require(staff, Action.VIEW_CASE, tree=tree, case=case)
    assert case.id is not None
    events = tuple(await uow.cases.events(case.id))
    if not may(staff, Action.ACCEPT, tree=tree, case=case):
        events = tuple(e for e in events if e.action not in _STAFF_ONLY_EVENTS)
    # A neighbour sees a public case only because it is public: statuses, never who
    # reported it or what notes and photos say about people.
    neighbour = not may(staff, Action.VIEW_CASE, tree=tree, case=replace(case, public=False))
    if neighbour:
        events = tuple(replace(e, note=None, attachments=()) for e in events)
    named = _people_in(case, events, with_reporter=not neighbour)
    contact = may(staff, Action.VIEW_REPORTER_CONTACT, tree=tree, case=case)
    contact_id = case.reporter_id if contact and case.reporter_id != actor.id else None
    wanted = named | ({contact_id} if contact_id is not None else set())
    people = await uow.people.many(sorted(wanted)) if wanted else {}
    reporter = people.get(contact_id) if contact_id is not None else None
    return CaseView(
        case=case,
        category=actor.org.category(case.category_code),
        events=events,
        viewer_id=actor.id,
        names={pid: person.name for pid, person in people.items() if pid in named},
        actions=next_actions(staff, tree, case),
        reporter_phone=reporter.phone if reporter else None,
    )


def next_actions(staff: Staff, tree: OrgTree, case: Case) -> tuple[CaseAction, ...]:
    """What the lifecycle allows next and policy lets this person do (for buttons)."""
    return tuple(
        a for a in allowed_actions(case) if may(staff, action_for(a), tree=tree, case=case)
    )


def _people_in(case: Case, events: Sequence[CaseEvent], *, with_reporter: bool) -> set[int]:
    ids = {case.assignee_id, case.claimant_id, case.reporter_id}
    ids.update(e.actor_id for e in events)
    ids.update(e.assignee_id for e in events)
    if not with_reporter:
        ids.discard(case.reporter_id)
    return {pid for pid in ids if pid is not None}
