"""/care: the care persons of a grid (for its leader and the unit's supervisors), or of
one worker; and one care person's card with their last visits."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from gridbot.domain.care import CARE_WORKER_ROLES, CarePerson, CareVisit
from gridbot.domain.errors import PermissionDenied
from gridbot.domain.org import OrgUnit, Role, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import Action, may
from gridbot.services.care.common import acting_on_grid, acting_on_person, names_of
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork

PAGE_SIZE = 8
LAST_VISITS = 3


@dataclass(frozen=True)
class CareBoardOf:
    actor: Actor | None
    grid_code: str | None = None  # None: the grid the actor leads, else their own persons
    page: int = 0


@dataclass(frozen=True)
class CareEntry:
    person: CarePerson
    worker_name: str
    overdue: bool


@dataclass(frozen=True)
class CareBoard:
    """One page of care persons, soonest visit first: of ``grid``, or (``grid`` None) the
    ones assigned to the actor. ``grids``: the actor leads several, and must pick one.
    ``ask_code``: a supervisor, who names a grid with /care <code>."""

    grid: OrgUnit | None = None
    entries: tuple[CareEntry, ...] = ()
    total: int = 0
    page: int = 0
    pages: int = 1
    can_manage: bool = False
    grids: tuple[OrgUnit, ...] = ()
    entry_grids: dict[str, OrgUnit] = field(default_factory=dict)  # of the entries' grids
    ask_code: bool = False


@dataclass(frozen=True)
class OpenCarePerson:
    actor: Actor | None
    care_id: int


@dataclass(frozen=True)
class CareCard:
    """A care person as their worker, grid leader or supervisor sees them."""

    person: CarePerson
    grid: OrgUnit
    worker_name: str
    visits: tuple[CareVisit, ...] = ()  # the last ones, latest first
    overdue: bool = False
    may_visit: bool = False
    may_manage: bool = False
    may_list: bool = False  # the grid's whole list (its leader, a supervisor)


async def care_board(cmd: CareBoardOf, ctx: Context) -> CareBoard:
    """NotBound for a stranger; PermissionDenied for someone who neither leads a grid, nor
    supervises, nor visits anyone; UnknownUnit for a code that is no grid."""
    actor = known(cmd.actor)
    async with ctx.reading() as uow:
        if cmd.grid_code is not None:
            grid, tree = await acting_on_grid(uow, actor, cmd.grid_code, Action.VIEW_CARE_PERSON)
            return await _grid_board(uow, ctx, actor, grid, tree, cmd.page)
        led = grids_led(actor.tree, actor)
        if len(led) == 1:
            return await _grid_board(uow, ctx, actor, led[0], actor.tree, cmd.page)
        if led:
            return CareBoard(grids=tuple(led))
        mine = await uow.care.by_worker(actor.id)
        if not mine and not visits_on_a_grid(actor):
            if actor.staff.holds(Role.SUPERVISOR):
                return CareBoard(ask_code=True)
            raise PermissionDenied(
                f"{actor.person.name} looks after no care persons", action="care"
            )
        board = await _page(uow, ctx, list(mine), cmd.page)
        codes = {entry.person.grid_code for entry in board.entries}
        grids = {code: actor.tree.get(code) for code in codes if code in actor.tree}
        return replace(board, entry_grids=grids)


def visits_on_a_grid(actor: Actor) -> bool:
    """Whether the actor may be assigned care persons: on a grid's own team."""
    tree = actor.tree
    return any(
        a.role in CARE_WORKER_ROLES
        and a.unit_code in tree
        and tree.get(a.unit_code).level == UnitLevel.GRID
        for a in actor.roles
    )


def grids_led(tree: OrgTree, actor: Actor) -> list[OrgUnit]:
    """The grids at or below the units where the actor is a grid leader, each once."""
    found: dict[str, OrgUnit] = {}
    for code in actor.staff.units_for(Role.GRID_LEADER):
        if code not in tree:
            continue
        for unit in [tree.get(code), *tree.descendants(code)]:
            if unit.level == UnitLevel.GRID:
                found.setdefault(unit.code, unit)
    return sorted(found.values(), key=lambda unit: unit.code)


async def _grid_board(
    uow: UnitOfWork, ctx: Context, actor: Actor, grid: OrgUnit, tree: OrgTree, page: int
) -> CareBoard:
    board = await _page(uow, ctx, list(await uow.care.of_grid(grid.code)), page)
    manages = may(actor.staff, Action.MANAGE_CARE, tree=tree, unit_code=grid.code)
    return replace(board, grid=grid, can_manage=manages)


async def _page(uow: UnitOfWork, ctx: Context, persons: list[CarePerson], page: int) -> CareBoard:
    pages = max(1, -(-len(persons) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = persons[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    names = await names_of(uow, [p.worker_id for p in shown])
    now = ctx.clock.now()
    entries = tuple(CareEntry(p, names.get(p.worker_id, "?"), p.is_overdue(now)) for p in shown)
    return CareBoard(entries=entries, total=len(persons), page=page, pages=pages)


async def care_card(cmd: OpenCarePerson, ctx: Context) -> CareCard:
    """NotFound for an unknown or removed person; PermissionDenied for anyone but their
    worker, the grid leader and the unit's supervisors."""
    actor = known(cmd.actor)
    async with ctx.reading() as uow:
        person, tree = await acting_on_person(uow, actor, cmd.care_id, Action.VIEW_CARE_PERSON)
        return await card_of(uow, ctx, actor, person, tree)


async def card_of(
    uow: UnitOfWork, ctx: Context, actor: Actor, person: CarePerson, tree: OrgTree
) -> CareCard:
    """The card of a person the actor may see (checked by the caller)."""
    assert person.id is not None
    visits = await uow.care.visits_of(person.id, LAST_VISITS)
    names = await names_of(uow, [person.worker_id])
    staff = actor.staff
    return CareCard(
        person=person,
        grid=tree.get(person.grid_code),
        worker_name=names.get(person.worker_id, "?"),
        visits=tuple(visits),
        overdue=person.is_overdue(ctx.clock.now()),
        may_visit=may(staff, Action.VISIT_CARE_PERSON, tree=tree, care_person=person),
        may_manage=may(staff, Action.MANAGE_CARE, tree=tree, care_person=person),
        may_list=may(staff, Action.VIEW_CARE_PERSON, tree=tree, unit_code=person.grid_code),
    )
