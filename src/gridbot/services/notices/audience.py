"""Who exactly an audience of the notices table is, for one case event, and what each
kind of recipient may be told about the case."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.org import Category, OrgUnit, Person, Role, RoleAssignment
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.routing import grid_secretary, holders, wish_helpers
from gridbot.domain.texts import public_summary
from gridbot.services.notices.public_group import public_group
from gridbot.services.notices.table import Audience, Notice
from gridbot.services.ports import UnitOfWork


@dataclass
class Scene:
    """One case event as the notices see it: the case as it now is, its category, the
    tree around it and the roles on its grid's chain (when the use case has them), and
    what the use case adds (``details``)."""

    uow: UnitOfWork
    case: Case
    event: CaseEvent
    category: Category | None
    tree: OrgTree | None
    assignments: Sequence[RoleAssignment] | None = None  # on the grid's chain, if loaded
    worker_groups: Sequence[int] | None = None  # of the case's grid, if loaded
    details: Mapping[str, Any] = field(default_factory=dict)
    names: tuple[str, ...] | None = None  # to mask in a group post, once read

    def person_targets(self, notice: Notice, found: list[int | None]) -> list[int]:
        """``found`` without nobody, without duplicates and, unless the notice says
        otherwise, without whoever made the change."""
        skip = None if notice.to_actor else self.event.actor_id
        return [p for p in dict.fromkeys(found) if p is not None and p != skip]


Resolver = Callable[[Scene], Awaitable[list[int | None]]]


async def _reporter(scene: Scene) -> list[int | None]:
    return [scene.case.reporter_id]


async def _assignee(scene: Scene) -> list[int | None]:
    return [scene.case.assignee_id]


async def _handler(scene: Scene) -> list[int | None]:
    return [scene.case.claimant_id or scene.case.assignee_id]


async def _claimant(scene: Scene) -> list[int | None]:
    return [scene.case.claimant_id]


async def _lapsed_claimant(scene: Scene) -> list[int | None]:
    return [scene.details.get("claimant")]


async def _called(scene: Scene) -> list[int | None]:
    return [scene.details.get("called")]


async def _secretary(scene: Scene) -> list[int | None]:
    case = scene.case
    tree = scene.tree
    if tree is None or not tree.covers([case.grid_code]):
        tree = OrgTree(await scene.uow.org.around([case.grid_code]))
    units = [u.code for u in (tree.grid_of(case.grid_code), tree.parent(case.grid_code)) if u]
    assignments = scene.assignments
    if assignments is None:
        assignments = await scene.uow.people.assignments_on(units)
    found = grid_secretary(tree, assignments, case.grid_code)
    # The one who holds the case, or reported it, hears of it as such.
    return [p for p in found if p not in (case.assignee_id, case.reporter_id)]


async def _grid_leaders(scene: Scene) -> list[int | None]:
    case = scene.case
    assignments = scene.assignments
    if assignments is None:
        assignments = await scene.uow.people.assignments_on([case.grid_code])
    found = holders(assignments, [Role.GRID_LEADER], [case.grid_code])
    # The one who holds the case, or reported it, hears of it as such.
    return [p for p in found if p not in (case.assignee_id, case.reporter_id)]


async def _visitor(scene: Scene) -> list[int | None]:
    return [scene.details.get("visitor")]


async def _whistler(scene: Scene) -> list[int | None]:
    assert scene.case.id is not None
    events = await scene.uow.cases.events(scene.case.id)
    whistles = [e for e in events if e.action == CaseAction.WHISTLE]
    return [whistles[-1].actor_id] if whistles else []


async def _wish_helpers(scene: Scene) -> list[int | None]:
    case = scene.case
    units = [case.grid_code, *(u.code for u in await scene.uow.org.children(case.grid_code))]
    helpers = wish_helpers(await scene.uow.people.assignments_on(units), case.reporter_id)
    lapsed = scene.details.get("claimant")
    return [p for p in helpers if p != lapsed]


async def _public_group(scene: Scene) -> list[int | None]:
    case = scene.case
    if not case.public:
        return []
    binding = await public_group(scene.uow, case.source_chat_id, case.reporter_id, tree=scene.tree)
    return [binding.chat_id] if binding is not None else []


async def _worker_groups(scene: Scene) -> list[int | None]:
    if scene.worker_groups is not None:
        return list(scene.worker_groups)
    return list(worker_groups(await scene.uow.bindings.for_unit(scene.case.grid_code)))


def worker_groups(bindings: Iterable[ChatBinding]) -> list[int]:
    """The chats among ``bindings`` (a grid's) that are its workers' group."""
    return [b.chat_id for b in bindings if b.active and b.kind == BindingKind.WORKER_GROUP]


RESOLVERS: dict[Audience, Resolver] = {
    Audience.REPORTER: _reporter,
    Audience.ASSIGNEE: _assignee,
    Audience.HANDLER: _handler,
    Audience.CLAIMANT: _claimant,
    Audience.LAPSED_CLAIMANT: _lapsed_claimant,
    Audience.SECRETARY: _secretary,
    Audience.GRID_LEADER: _grid_leaders,
    Audience.VISITOR: _visitor,
    Audience.WHISTLER: _whistler,
    Audience.CALLED: _called,
    Audience.WISH_HELPERS: _wish_helpers,
    Audience.PUBLIC_GROUP: _public_group,
    Audience.WORKER_GROUPS: _worker_groups,
}


def local(value: Any, tz: tzinfo) -> Any:
    """Datetimes as people read them (local time); anything else as it is."""
    return value.astimezone(tz) if isinstance(value, datetime) else value


def private_context(scene: Scene, people: Mapping[int, Person], tz: tzinfo) -> dict[str, Any]:
    """What a notice to a person who acts on or reported the case may show."""
    case, event = scene.case, scene.event
    by = people.get(event.actor_id) if event.actor_id is not None else None
    holder = people.get(case.assignee_id) if case.assignee_id is not None else None
    tree = scene.tree
    context: dict[str, Any] = {
        "case": case,
        "event": event,
        "category": scene.category,
        "grid": tree.get(case.grid_code) if tree is not None and case.grid_code in tree else None,
        "by": by.name if by else None,
        "assignee": holder.name if holder else None,
        "reporter": people.get(case.reporter_id) if case.reporter_id is not None else None,
        "note": event.note,
        "photo_count": len(event.attachments),
        "respond_by": case.respond_by,
        "resolve_by": case.resolve_by,
        "resolved_at": case.resolved_at,
        "closed_at": case.closed_at,
        "wanted_by": case.wanted_by,
        "expires_at": case.claim_expires_at,
    }
    # A hand-over restarts the response clock: the new holder reads their own deadline.
    if "accept_by" in scene.details:
        context["respond_by"] = scene.details["accept_by"]
    context.update(scene.details)
    return {key: local(value, tz) for key, value in context.items()}


async def grid_names(
    uow: UnitOfWork,
    grid_code: str,
    reporter_id: int | None,
    *,
    tree: OrgTree | None = None,
    reporter: Person | None = None,
) -> tuple[str, ...]:
    """Every name the bot knows on a grid (its and its buildings' residents and staff, its
    key residents) and the reporter's: what a group line about a case there masks. A
    ``whole`` tree names the grid's buildings, and ``reporter`` (the person of
    ``reporter_id``) their name, without reading them again."""
    buildings: Sequence[OrgUnit]
    if tree is not None and tree.whole and grid_code in tree:
        buildings = tree.children(grid_code)
    else:
        buildings = await uow.org.children(grid_code)
    names = list(await uow.people.names_on([grid_code, *(u.code for u in buildings)]))
    names += await uow.care.names_on_grid(grid_code)
    if reporter is None and reporter_id is not None:
        reporter = await uow.people.get(reporter_id)
    names += [reporter.name] if reporter is not None else []
    return tuple(dict.fromkeys(n for n in names if n))


async def group_place(
    uow: UnitOfWork, chat_id: int | None, tree: OrgTree | None = None
) -> OrgUnit | None:
    """The building-level place a group line names: the unit its group is bound to (a
    building, or the grid), never an address or a room."""
    binding = await uow.bindings.get(chat_id) if chat_id is not None else None
    return await bound_place(uow, binding, tree)


async def bound_place(
    uow: UnitOfWork, binding: ChatBinding | None, tree: OrgTree | None = None
) -> OrgUnit | None:
    """The unit ``binding`` names (from ``tree`` when it holds it)."""
    if binding is None:
        return None
    if tree is not None and binding.unit_code in tree:
        return tree.get(binding.unit_code)
    return await uow.org.get_unit(binding.unit_code)


async def known_names(scene: Scene, reporter: Person | None = None) -> tuple[str, ...]:
    """``grid_names`` of the case's grid, read once per scene."""
    if scene.names is None:
        case = scene.case
        scene.names = await grid_names(
            scene.uow, case.grid_code, case.reporter_id, tree=scene.tree, reporter=reporter
        )
    return scene.names


def public_context(
    scene: Scene, tz: tzinfo, names: Sequence[str] = (), place: OrgUnit | None = None
) -> dict[str, Any]:
    """What a group may see of a case: never who reported it, never their words unmasked
    (``names``: those to mask, ``known_names``); ``place`` is ``group_place``."""
    case = scene.case
    return {
        "place": place,
        "number": case.number,
        "status": case.status.value,
        "action": scene.event.action,
        "category": scene.category,
        "level": case.level.value,
        "summary": public_summary(case.text, names=names),
        "affected": case.affected_count,
        "wanted_by": local(case.wanted_by, tz),
    }
