"""A unit's statistics over a period, computed inside a unit of work the caller holds:
``compute_stats`` is what /stats shows, and what rankings, exports, charts and digests
build on. Every count is summed in the database (``StatsRepository``); this module adds
them up by category and by child unit and turns them into figures."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from gridbot.domain.metrics import (
    Counts,
    Figures,
    Medians,
    Period,
    VisitCounts,
    WishCounts,
    figures_of,
)
from gridbot.domain.org import OrgUnit, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.services.orgcache import Organisation
from gridbot.services.ports import UnitOfWork

_Key = Callable[[str, str], str | None]  # (group, category code) → what to sum by


class CategoryFigures(NamedTuple):
    """One category's figures (a tuple: code, name, figures)."""

    code: str
    name: str
    figures: Figures


class ChildFigures(NamedTuple):
    """One child unit's figures, to drill down into."""

    unit: OrgUnit
    figures: Figures


@dataclass(frozen=True)
class UnitStats:
    """What /stats shows of ``unit`` over ``period``, as of ``now``. ``by_category``: the
    categories with cases, in the order of the org file; ``children``: every child unit
    that holds grids (none below the grid level). ``parent``: the unit above, when the
    reader may read it too (set by ``unit_stats``). ``urges``: urges (督办) made in the
    period on cases of the unit's grids."""

    unit: OrgUnit
    period: Period
    figures: Figures
    by_category: tuple[CategoryFigures, ...]
    children: tuple[ChildFigures, ...]
    wishes: WishCounts
    visits: VisitCounts
    now: datetime
    parent: OrgUnit | None = None
    urges: int = 0  # 督办 made in the period on the unit's cases


def scope_of(tree: OrgTree, unit: OrgUnit) -> list[str] | None:
    """The unit codes whose cases count for ``unit``: itself and every unit under it;
    None (no filter at all) for the only root of the tree, which holds every case."""
    roots = [u for u in tree if u.parent_code is None]
    if roots == [unit]:
        return None
    return [unit.code, *(u.code for u in tree.descendants(unit.code))]


def children_of(tree: OrgTree, unit: OrgUnit) -> list[OrgUnit]:
    """The units to drill down into: a grid's buildings hold no cases of their own."""
    if unit.level.depth >= UnitLevel.GRID.depth:
        return []
    return tree.children(unit.code)


async def compute_stats(
    uow: UnitOfWork, org: Organisation, unit: OrgUnit, period: Period, now: datetime
) -> UnitStats:
    """The statistics of ``unit`` (in ``org``'s tree) over ``period`` as of ``now``, read in
    ``uow``; no authorization here: the caller decides who may read them."""
    tree = org.tree
    scope = scope_of(tree, unit)
    children = children_of(tree, unit)
    groups = {
        child.code: [child.code, *(u.code for u in tree.descendants(child.code))]
        for child in children
    }
    start, end = period.start, period.end
    rows = await uow.stats.case_counts(scope, start, end, now, groups)
    medians = await uow.stats.medians(scope, start, end, groups)
    wishes = await uow.stats.wish_counts(scope, start, end)
    visits = await uow.stats.visit_counts(scope, start, end, now)
    urges = await uow.overdue.count_urges(scope or [u.code for u in tree], start, end)
    by_category = _sum_by(rows, lambda group, category: category)
    by_child = _sum_by(rows, lambda group, category: group or None)
    return UnitStats(
        unit=unit,
        period=period,
        figures=figures_of(_total(rows), medians.total),
        by_category=_categories(org, by_category, medians.by_category),
        children=tuple(
            ChildFigures(
                c, figures_of(by_child.get(c.code, Counts()), medians.by_group.get(c.code))
            )
            for c in children
        ),
        wishes=wishes,
        visits=visits,
        now=now,
        urges=urges,
    )


def _total(rows: Sequence[tuple[str, str, Counts]]) -> Counts:
    total = Counts()
    for _, _, counts in rows:
        total += counts
    return total


def _sum_by(rows: Sequence[tuple[str, str, Counts]], key: _Key) -> dict[str, Counts]:
    found: dict[str, Counts] = {}
    for group, category, counts in rows:
        name = key(group, category)
        if name is not None:
            found[name] = found.get(name, Counts()) + counts
    return found


def _categories(
    org: Organisation, counted: Mapping[str, Counts], medians: Mapping[str, Medians]
) -> tuple[CategoryFigures, ...]:
    """The categories with cases, in the org file's order (one no longer there last)."""
    order: Collection[str] = [c.code for c in org.categories]
    codes = [code for code in order if code in counted]
    codes += sorted(code for code in counted if code not in order)
    return tuple(
        CategoryFigures(
            code, _category_name(org, code), figures_of(counted[code], medians.get(code))
        )
        for code in codes
    )


def _category_name(org: Organisation, code: str) -> str:
    category = org.category(code)
    return category.name if category is not None else code
