"""/rank: the grids under a supervisor's unit ranked by the composite score over a period,
best first, a page at a time; for a community (or a grid) also its workers, by the same
score over the cases they handled, with their open cases and median time to accept.
docs/metrics.md defines every figure, the score and the rules of the ranking; a grid's
figures come from one query grouped by grid (the statistics' own), never a query a grid."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from gridbot.domain.errors import PermissionDenied, UnknownUnit
from gridbot.domain.metrics import (
    COMPOSITE_WEIGHTS,
    Counts,
    Figures,
    Medians,
    Period,
    figures_of,
    parse_period,
)
from gridbot.domain.org import OrgUnit, Person, Role, UnitLevel
from gridbot.domain.policy import Action, require
from gridbot.domain.ranking import MIN_RECEIVED, Placed, rank
from gridbot.domain.staffing import CASE_HANDLERS, Load
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork
from gridbot.services.stats.figures import scope_of
from gridbot.services.stats.units import supervised_units

PAGE_SIZE = 8
# Whose work a community's ranking of workers weighs: whoever its cases are routed, handed
# or escalated to on its grids and at the community.
WORKER_ROLES = (*CASE_HANDLERS, Role.COMMUNITY_STAFF)
WORKER_LEVELS = (UnitLevel.COMMUNITY, UnitLevel.GRID)


class RankView(StrEnum):
    GRIDS = "grids"
    WORKERS = "workers"  # a community's (or a grid's) workers


@dataclass(frozen=True)
class RankOf:
    """``period`` as typed after /rank (None: this month); the unit by ``unit_code`` or by
    ``unit_id`` (a button's), else the actor's own highest supervised unit."""

    actor: Actor | None
    period: str | None = None
    unit_code: str | None = None
    unit_id: int | None = None
    view: str = RankView.GRIDS
    page: int = 0


@dataclass(frozen=True)
class RankEntry:
    """A grid (``code``) or a worker (``load``: the cases they hold open now, on any grid);
    ``place`` None: too few cases to be ranked. ``score`` in points, as shown."""

    place: int | None
    score: float | None
    name: str
    figures: Figures
    code: str = ""
    load: Load | None = None
    grid: OrgUnit | None = None

    def name_in(self, locale: str) -> str:
        """A grid's name in ``locale``; a worker's name as it is."""
        return self.grid.name_in(locale) if self.grid is not None else self.name


@dataclass(frozen=True)
class Ranking:
    """A page of ``unit``'s ranking over ``period`` as of ``now``: ``ranked`` contenders
    ranked in all, then ``apart`` with fewer than ``min_received`` cases."""

    unit: OrgUnit
    period: Period
    now: datetime
    view: RankView
    entries: tuple[RankEntry, ...]
    ranked: int
    apart: int
    page: int
    pages: int
    has_workers: bool  # the unit's workers may be ranked (a community or a grid)
    community_example: str | None = None  # a community's code under the unit, to ask about
    weights: tuple[tuple[str, float], ...] = tuple(COMPOSITE_WEIGHTS.items())
    min_received: int = MIN_RECEIVED
    page_size: int = PAGE_SIZE


async def rank_units(cmd: RankOf, ctx: Context) -> Ranking:
    """NotBound for a stranger; PermissionDenied (``view_stats``) for anyone who supervises
    no unit, or not this one; UnknownUnit for a code or id that names no unit;
    ValidationFailed (``period``) for a period that cannot be read. Each is raised before
    anything is read."""
    actor = known(cmd.actor)
    unit = ranked_unit(actor, cmd.unit_code, cmd.unit_id)
    now = ctx.clock.now()
    period = parse_period(cmd.period, now, ctx.tz)
    workers = unit.level in WORKER_LEVELS
    view = RankView.WORKERS if workers and cmd.view == RankView.WORKERS else RankView.GRIDS
    async with ctx.reading() as uow:
        if view == RankView.WORKERS:
            entries = await _workers(uow, actor, unit, period, now)
        else:
            entries = await _grids(uow, actor, unit, period, now)
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(cmd.page, 0), pages - 1)
    ranked = sum(1 for entry in entries if entry.place is not None)
    return Ranking(
        unit=unit,
        period=period,
        now=now,
        view=view,
        entries=tuple(entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]),
        ranked=ranked,
        apart=len(entries) - ranked,
        page=page,
        pages=pages,
        has_workers=workers,
        community_example=_community_under(actor, unit),
    )


def ranked_unit(actor: Actor, code: str | None, unit_id: int | None) -> OrgUnit:
    """The unit asked for (a building stands for its grid), else the actor's highest
    supervised one, once the actor may read its statistics."""
    supervised = supervised_units(actor)
    if not supervised:
        raise PermissionDenied(
            f"{actor.person.name} supervises no unit", action=Action.VIEW_STATS.value
        )
    unit = _unit_named(actor, code, unit_id) or supervised[0]
    if unit.level == UnitLevel.BUILDING:
        unit = actor.tree.grid_of(unit.code) or unit
    require(actor.staff, Action.VIEW_STATS, tree=actor.tree, unit_code=unit.code)
    return unit


def _community_under(actor: Actor, unit: OrgUnit) -> str | None:
    if unit.level.depth >= UnitLevel.COMMUNITY.depth:
        return None
    found = (u for u in actor.tree.descendants(unit.code) if u.level == UnitLevel.COMMUNITY)
    return next((u.code for u in found), None)


def _unit_named(actor: Actor, code: str | None, unit_id: int | None) -> OrgUnit | None:
    tree = actor.tree
    if unit_id is not None:
        found = next((unit for unit in tree if unit.id == unit_id), None)
        if found is None:
            raise UnknownUnit(f"no unit with id {unit_id}", unit=unit_id)
        return found
    code = (code or "").strip()
    if not code:
        return None
    if code not in tree and code.upper() in tree:
        code = code.upper()
    if code not in tree:
        raise UnknownUnit(f"no unit {code!r}", unit=code)
    return tree.get(code)


async def _grids(
    uow: UnitOfWork, actor: Actor, unit: OrgUnit, period: Period, now: datetime
) -> list[RankEntry]:
    tree = actor.tree
    grids = [u for u in [unit, *tree.descendants(unit.code)] if u.level == UnitLevel.GRID]
    scope = scope_of(tree, unit)
    by_grid = await uow.ranking.grid_counts(scope, period.start, period.end, now)
    placed = rank(
        [(grid, figures_of(by_grid.get(grid.code, Counts()))) for grid in grids],
        figures=lambda item: item[1],
        key=lambda item: item[0].code,
    )
    return [_grid_entry(p) for p in placed]


def _grid_entry(placed: Placed[tuple[OrgUnit, Figures]]) -> RankEntry:
    grid, figures = placed.item
    return RankEntry(placed.place, placed.score, grid.name, figures, code=grid.code, grid=grid)


async def _workers(
    uow: UnitOfWork, actor: Actor, unit: OrgUnit, period: Period, now: datetime
) -> list[RankEntry]:
    tree = actor.tree
    codes = [unit.code, *(u.code for u in tree.descendants(unit.code))]
    assignments = await uow.people.assignments_on(codes)
    ids = sorted({a.person_id for a in assignments if a.role in WORKER_ROLES})
    people = await uow.people.many(ids)
    scope = scope_of(tree, unit)
    counts = await uow.ranking.handler_counts(scope, period.start, period.end, now)
    medians = await uow.ranking.handler_medians(scope, period.start, period.end)
    loads = await uow.cases.open_load(ids, now)
    items = [
        (person, figures_of(counts.get(pid, Counts()), Medians(response=medians.get(pid))))
        for pid in ids
        if (person := people.get(pid)) is not None
    ]
    placed = rank(items, figures=lambda item: item[1], key=lambda item: item[0].name)
    return [_worker_entry(p, loads) for p in placed]


def _worker_entry(placed: Placed[tuple[Person, Figures]], loads: Mapping[int, Load]) -> RankEntry:
    person, figures = placed.item
    load = loads.get(person.id or 0, Load())
    return RankEntry(placed.place, placed.score, person.name, figures, load=load)
