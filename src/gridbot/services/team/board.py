"""/team: a grid's staff as its leader and branch secretary (or a supervisor of the unit)
read them: each person's roles, whether they are on duty, their open cases and how many are
overdue, and whether the bot can reach them; its residents are counted, never listed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from gridbot.domain.errors import PermissionDenied, UnknownUnit
from gridbot.domain.org import GRID_LEADERS, OrgUnit, Person, Role, RoleAssignment, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import Action, may, require
from gridbot.domain.staffing import CASE_HANDLERS, BotReach, Load, reach_of, team_rank
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork

LISTED = 30  # members listed at most: a message holds 4096 characters


@dataclass(frozen=True)
class TeamOf:
    actor: Actor | None
    grid_code: str | None = None  # None: the grid the actor leads


@dataclass(frozen=True)
class TeamMember:
    name: str
    roles: tuple[Role, ...]  # held on the grid or its buildings, the leading role first
    buildings: tuple[OrgUnit, ...]  # the buildings among the units they hold them on
    on_duty: bool  # on duty in at least one of them
    handles_cases: bool  # a worker, leader, secretary or guide: cases come to them
    load: Load  # every open case they hold, on this grid or any other
    reach: BotReach
    phone: str | None = None  # for the grid's leader and branch secretary only


@dataclass(frozen=True)
class TeamBoard:
    """The team of ``grid``; or (``grids``) the grids the actor leads, to pick one; or
    (``ask_code``) a supervisor, who names a grid with /team <code>."""

    grid: OrgUnit | None = None
    members: tuple[TeamMember, ...] = ()
    more: int = 0  # members beyond those listed
    residents: int = 0
    phones: bool = False  # phone numbers are shown
    grids: tuple[OrgUnit, ...] = ()
    ask_code: bool = False


async def team_board(cmd: TeamOf, ctx: Context) -> TeamBoard:
    """PermissionDenied (``view_team``) for anyone but the grid's leader and branch
    secretary and the unit's supervisors, before anything is read; UnknownUnit for a code
    that is no grid."""
    actor = known(cmd.actor)
    if cmd.grid_code is not None:
        grid = _grid(actor.tree, cmd.grid_code)
        require(actor.staff, Action.VIEW_TEAM, tree=actor.tree, unit_code=grid.code)
        return await _board(ctx, actor, grid)
    led = grids_led(actor)
    if len(led) == 1:
        return await _board(ctx, actor, led[0])
    if led:
        return TeamBoard(grids=tuple(led))
    if actor.staff.holds(Role.SUPERVISOR):
        return TeamBoard(ask_code=True)
    raise PermissionDenied(f"{actor.person.name} leads no grid", action=Action.VIEW_TEAM.value)


def grids_led(actor: Actor) -> list[OrgUnit]:
    """The grids at or below the units where the actor is a grid leader or secretary."""
    tree, found = actor.tree, dict[str, OrgUnit]()
    for a in actor.roles:
        if a.role in GRID_LEADERS and a.unit_code in tree:
            for unit in [tree.get(a.unit_code), *tree.descendants(a.unit_code)]:
                if unit.level == UnitLevel.GRID:
                    found.setdefault(unit.code, unit)
    return sorted(found.values(), key=lambda unit: unit.code)


def _grid(tree: OrgTree, code: str) -> OrgUnit:
    code = code.strip()
    if code not in tree and code.upper() in tree:
        code = code.upper()
    if code not in tree:
        raise UnknownUnit(f"no unit {code!r}", unit=code)
    unit = tree.get(code)
    if unit.level != UnitLevel.GRID:
        raise UnknownUnit(f"{code!r} is no grid", unit=code, level=unit.level.value)
    return unit


async def _board(ctx: Context, actor: Actor, grid: OrgUnit) -> TeamBoard:
    units = [grid, *actor.tree.descendants(grid.code)]
    codes = [unit.code for unit in units]
    async with ctx.reading() as uow:
        assignments = await uow.people.assignments_on(codes)
        ids = sorted({a.person_id for a in assignments})
        people = await uow.people.many(ids)
        loads = await uow.cases.open_load(ids, ctx.clock.now())
        delivered = await _delivered(uow, people.values())
        residents = await uow.people.count_holders(Role.RESIDENT, codes)
    phones = may(actor.staff, Action.VIEW_TEAM_PHONES, tree=actor.tree, unit_code=grid.code)
    buildings = {unit.code: unit for unit in units if unit.level == UnitLevel.BUILDING}
    members = _members(assignments, people, loads, delivered, buildings, phones)
    return TeamBoard(
        grid=grid,
        members=tuple(members[:LISTED]),
        more=max(0, len(members) - LISTED),
        residents=residents,
        phones=phones,
    )


async def _delivered(uow: UnitOfWork, people: Iterable[Person]) -> set[int]:
    """The accounts the bot has delivered a message to: they started it."""
    accounts = [p.telegram_id for p in people if p.telegram_id is not None]
    return set(await uow.outbox.delivered_to(accounts))


def _members(
    assignments: Sequence[RoleAssignment],
    people: Mapping[int, Person],
    loads: Mapping[int, Load],
    delivered: set[int],
    buildings: Mapping[str, OrgUnit],
    phones: bool,
) -> list[TeamMember]:
    held: dict[int, list[RoleAssignment]] = defaultdict(list)
    for a in assignments:
        held[a.person_id].append(a)
    members = []
    for pid, roles in held.items():
        person = people.get(pid)
        if person is None:
            continue
        members.append(
            TeamMember(
                name=person.name,
                roles=tuple(sorted({a.role for a in roles}, key=team_rank)),
                buildings=tuple(
                    buildings[code]
                    for code in dict.fromkeys(a.unit_code for a in roles)
                    if code in buildings
                ),
                on_duty=any(a.on_duty for a in roles),
                handles_cases=any(a.role in CASE_HANDLERS for a in roles),
                load=loads.get(pid, Load()),
                reach=reach_of(person, person.telegram_id in delivered),
                phone=person.phone if phones else None,
            )
        )
    return sorted(members, key=lambda m: (team_rank(m.roles[0]), m.name))
