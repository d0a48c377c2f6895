"""/grid <code> [period]: one grid's card, for the supervisors of its units and for its own
leader and branch secretary: its community, its team (names and roles; their phones only
for those readers), the cases open on it now and how many are overdue, the period's rates
beside the previous period's with the change in points, and its top categories. The team
is the staff holding roles on the grid and its buildings: no resident is ever on it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from gridbot.domain.errors import PermissionDenied, UnknownUnit
from gridbot.domain.metrics import Figures, Period, composite_score, parse_period, previous
from gridbot.domain.org import OrgUnit, Person, Role, RoleAssignment, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import GRID_CARD_VIEWERS, Action, may, require
from gridbot.domain.ranking import change_in_points
from gridbot.domain.staffing import Load, team_rank
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork
from gridbot.services.stats.figures import CategoryFigures, compute_stats
from gridbot.services.stats.units import supervised_units
from gridbot.services.team import grids_led

TOP_CATEGORIES = 3
TEAM_LISTED = 12  # members named at most; the rest are counted
EXAMPLES = 3  # grid codes offered by the usage answer
TREND_RATES = (
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "on_time_rate",
    "in_grid_rate",
    "reopen_rate",
)


@dataclass(frozen=True)
class GridCardOf:
    """``grid_code`` as typed after /grid, or ``grid_id`` (a button's); ``period`` as typed
    after the code (None: this month)."""

    actor: Actor | None
    grid_code: str | None = None
    period: str | None = None
    grid_id: int | None = None


@dataclass(frozen=True)
class TeamLine:
    name: str
    roles: tuple[Role, ...]  # held on the grid or its buildings, the leading role first
    phone: str | None = None


@dataclass(frozen=True)
class Trend:
    """A rate (a ``Figures`` attribute, or ``score``: the composite) in the period and the
    one before, and the change in points (None when either is missing)."""

    name: str
    now: float | None
    before: float | None
    change: float | None


@dataclass(frozen=True)
class GridCard:
    grid: OrgUnit
    community: OrgUnit | None
    period: Period
    previous: Period
    now: datetime
    team: tuple[TeamLine, ...]
    more_team: int  # members beyond those named
    phones: bool  # the reader may see the team's phones
    open: Load  # open on the grid now, whenever received, and overdue of them
    figures: Figures
    score: Trend
    trends: tuple[Trend, ...]
    top_categories: tuple[CategoryFigures, ...]


@dataclass(frozen=True)
class GridUsage:
    """/grid without a code: how to ask, with a few codes the reader may ask about."""

    examples: tuple[OrgUnit, ...]


async def grid_card(cmd: GridCardOf, ctx: Context) -> GridCard | GridUsage:
    """PermissionDenied (``view_grid_card``) for anyone who is neither a supervisor nor a
    grid's leader or branch secretary, or who asks about a grid outside their units;
    UnknownUnit for a code that names no unit, or no grid; ValidationFailed (``period``)
    for a period that cannot be read. Each is raised before anything is read. Without a
    code: the card of the one grid the reader leads, else the usage answer."""
    actor = known(cmd.actor)
    if not any(a.role in GRID_CARD_VIEWERS for a in actor.roles):
        raise PermissionDenied(
            f"{actor.person.name} reads no grid's card", action=Action.VIEW_GRID_CARD.value
        )
    grid = _grid_asked(actor.tree, cmd) or _own_grid(actor)
    if grid is None:
        return GridUsage(_examples(actor))
    require(actor.staff, Action.VIEW_GRID_CARD, tree=actor.tree, unit_code=grid.code)
    now = ctx.clock.now()
    period = parse_period(cmd.period, now, ctx.tz)
    before = previous(period)
    async with ctx.reading() as uow:
        current = await compute_stats(uow, actor.org, grid, period, now)
        earlier = await compute_stats(uow, actor.org, grid, before, now)
        open_now = await uow.ranking.open_now([grid.code], now)
        team = await _team(uow, actor.tree, grid)
    phones = _sees_phones(actor, grid)
    lines = team if phones else [TeamLine(line.name, line.roles) for line in team]
    return GridCard(
        grid=grid,
        community=actor.tree.ancestor_at(grid.code, UnitLevel.COMMUNITY),
        period=period,
        previous=before,
        now=now,
        team=tuple(lines[:TEAM_LISTED]),
        more_team=max(0, len(lines) - TEAM_LISTED),
        phones=phones,
        open=open_now,
        figures=current.figures,
        score=_trend("score", composite_score(current.figures), composite_score(earlier.figures)),
        trends=tuple(
            _trend(name, getattr(current.figures, name), getattr(earlier.figures, name))
            for name in TREND_RATES
        ),
        top_categories=_top(current.by_category),
    )


def _grid_asked(tree: OrgTree, cmd: GridCardOf) -> OrgUnit | None:
    if cmd.grid_id is not None:
        found = next((unit for unit in tree if unit.id == cmd.grid_id), None)
        if found is None:
            raise UnknownUnit(f"no unit with id {cmd.grid_id}", unit=cmd.grid_id)
        code = found.code
    else:
        code = (cmd.grid_code or "").strip()
        if not code:
            return None
        code = code if code in tree or code.upper() not in tree else code.upper()
        if code not in tree:
            raise UnknownUnit(f"no unit {code!r}", unit=code, card=True)
    unit = tree.get(code)
    if unit.level != UnitLevel.GRID:
        raise UnknownUnit(f"{code!r} is no grid", unit=code, level=unit.level.value)
    return unit


def _own_grid(actor: Actor) -> OrgUnit | None:
    """The one grid a reader who supervises nothing leads, for /grid without a code."""
    led = grids_led(actor)
    return led[0] if len(led) == 1 and not supervised_units(actor) else None


def _examples(actor: Actor) -> tuple[OrgUnit, ...]:
    led = grids_led(actor)
    if led:
        return tuple(led[:EXAMPLES])
    tree, found = actor.tree, list[OrgUnit]()
    for unit in supervised_units(actor):
        found += [u for u in tree.descendants(unit.code) if u.level == UnitLevel.GRID]
    return tuple(found[:EXAMPLES])


def _sees_phones(actor: Actor, grid: OrgUnit) -> bool:
    """The grid's leader and branch secretary, and the supervisors of its units."""
    return any(
        may(actor.staff, action, tree=actor.tree, unit_code=grid.code)
        for action in (Action.VIEW_TEAM_PHONES, Action.VIEW_STATS)
    )


async def _team(uow: UnitOfWork, tree: OrgTree, grid: OrgUnit) -> list[TeamLine]:
    """Everyone holding a staff role on the grid or its buildings (never a resident's)."""
    codes = [grid.code, *(u.code for u in tree.descendants(grid.code))]
    assignments = [a for a in await uow.people.assignments_on(codes) if a.role != Role.RESIDENT]
    people = await uow.people.many(sorted({a.person_id for a in assignments}))
    return _lines(assignments, people)


def _lines(assignments: Sequence[RoleAssignment], people: Mapping[int, Person]) -> list[TeamLine]:
    held: dict[int, set[Role]] = defaultdict(set)
    for a in assignments:
        held[a.person_id].add(a.role)
    lines = [
        TeamLine(person.name, tuple(sorted(roles, key=team_rank)), person.phone)
        for pid, roles in held.items()
        if (person := people.get(pid)) is not None
    ]
    return sorted(lines, key=lambda line: (team_rank(line.roles[0]), line.name))


def _trend(name: str, now: float | None, before: float | None) -> Trend:
    return Trend(name, now, before, change_in_points(now, before))


def _top(by_category: Sequence[CategoryFigures]) -> tuple[CategoryFigures, ...]:
    """The categories with the most cases received, the org file's order on a tie."""
    ordered = sorted(by_category, key=lambda c: -c.figures.counts.received)
    return tuple(c for c in ordered if c.figures.counts.received)[:TOP_CATEGORIES]
