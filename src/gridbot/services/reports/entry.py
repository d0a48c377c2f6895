"""Where a report or wish starts: the grid it will land on and the categories offered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from gridbot.domain.errors import (
    NotBound,
    NotFound,
    PermissionDenied,
    UnknownUnit,
    ValidationFailed,
)
from gridbot.domain.org import Category, OrgUnit, Role, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.texts import MAX_REPORTS_PER_HOUR
from gridbot.domain.wishes import is_report_category
from gridbot.services.common import tree_around
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork


@dataclass(frozen=True)
class StartReport:
    actor: Actor | None
    source_chat_id: int | None = None  # the bound group it was started from


@dataclass(frozen=True)
class ReportStart:
    """What the first step of a draft shows: where it lands, and what it may be about."""

    grid: OrgUnit
    categories: tuple[Category, ...] = ()


async def reporting_grid(
    uow: UnitOfWork, actor: Actor | None, source_chat_id: int | None
) -> tuple[OrgUnit, OrgTree]:
    """Where a report lands: the grid of the group it was started in (when that group is
    bound), else the grid the person lives in as a resident; with the tree around it.
    NotBound when neither (a stranger has no grid of their own)."""
    if source_chat_id is not None:
        binding = await uow.bindings.get(source_chat_id)
        if binding is not None and binding.active:
            known_tree = actor.tree if actor is not None else None
            tree = await tree_around(uow, [binding.unit_code], known_tree)
            grid = tree.grid_of(binding.unit_code) if binding.unit_code in tree else None
            if grid is not None:
                return grid, tree
    if actor is None:
        raise NotBound("a stranger has no grid")
    for role in actor.roles:
        if role.role == Role.RESIDENT and role.unit_code in actor.tree:
            grid = actor.tree.grid_of(role.unit_code)
            if grid is not None:
                return grid, actor.tree
    raise NotBound(f"person {actor.id} has no grid", person_id=actor.id)


async def serving_grid(uow: UnitOfWork, actor: Actor, grid_code: str) -> tuple[OrgUnit, OrgTree]:
    """Where a staff member files a report or wish for someone they serve (a care visit):
    a grid on which (or above which) they hold a role other than resident. UnknownUnit for
    a code that is no grid, PermissionDenied for anyone not serving it."""
    tree = await tree_around(uow, [grid_code], actor.tree)
    if grid_code not in tree or tree.get(grid_code).level != UnitLevel.GRID:
        raise UnknownUnit(f"no grid {grid_code!r}", unit=grid_code)
    if not any(
        a.role != Role.RESIDENT and tree.is_within(grid_code, a.unit_code) for a in actor.roles
    ):
        raise PermissionDenied(
            f"{actor.person.name} serves no grid {grid_code}", action="submit", unit=grid_code
        )
    return tree.get(grid_code), tree


async def start_report(cmd: StartReport, ctx: Context) -> ReportStart:
    """/report: the reporter's grid and the open categories; NotBound without a grid."""
    actor = known(cmd.actor)
    async with ctx.reading() as uow:
        grid, _ = await reporting_grid(uow, actor, cmd.source_chat_id)
    return ReportStart(grid, actor.org.report_categories)


async def start_wish(cmd: StartReport, ctx: Context) -> ReportStart:
    """/wish: the grid the wish will be posted on; NotBound without a grid."""
    actor = known(cmd.actor)
    async with ctx.reading() as uow:
        grid, _ = await reporting_grid(uow, actor, cmd.source_chat_id)
    return ReportStart(grid)


async def report_category(uow: UnitOfWork, actor: Actor, code: str) -> Category:
    """The category a report or a patrol hazard is filed under: known, open, and not the
    internal category of wishes."""
    category = actor.org.category(code) or await uow.categories.get(code)
    if category is None:
        raise NotFound(f"no category {code!r}", category=code)
    if not is_report_category(category):
        raise ValidationFailed(f"category {code!r} is not open", code="category_inactive")
    return category


async def find_report_category(ctx: Context, actor: Actor | None, code: str) -> Category | None:
    """The open report category with this code, or None (a stale or forged button)."""
    if actor is not None:
        org = actor.org
    else:
        async with ctx.reading() as uow:
            org = await ctx.org.current(uow)
    category = org.category(code)
    return category if category is not None and is_report_category(category) else None


@dataclass(frozen=True)
class ReportsLeft:
    actor: Actor | None


async def reports_left(cmd: ReportsLeft, ctx: Context) -> int:
    """How many reports and wishes the person may still submit this hour (0: the hourly
    limit is reached, and Submit is refused until an hour after an earlier one)."""
    actor = known(cmd.actor)
    since = ctx.clock.now() - timedelta(hours=1)
    async with ctx.reading() as uow:
        recent = await uow.cases.count_reported_since(actor.id, since)
    return max(0, MAX_REPORTS_PER_HOUR - recent)
