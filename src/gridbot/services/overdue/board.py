"""/overdue: a unit's overdue cases (超时), the longest overdue first, a page at a time, each
with its holder, how late it is and how often it was urged (督办)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from gridbot.domain.case import Case
from gridbot.domain.org import Category, OrgUnit
from gridbot.domain.overdue import lateness
from gridbot.domain.policy import Action, may
from gridbot.services.context import Actor, Context, known
from gridbot.services.overdue.scope import grids_of, scope_units, unit_asked
from gridbot.services.ports import UnitOfWork

PAGE_SIZE = 10


@dataclass(frozen=True)
class OverdueOf:
    actor: Actor | None
    unit_code: str | None = None  # None: the actor's highest unit
    page: int = 0


@dataclass(frozen=True)
class OverdueEntry:
    """One overdue case: ``late`` past its current deadline, ``urges`` so far; ``may_urge``
    when the reader may urge it (someone holds it, and policy lets them)."""

    case: Case
    category: Category | None
    grid_name: str
    assignee: str | None
    late: timedelta
    urges: int
    may_urge: bool
    grid: OrgUnit | None = None  # None: a grid no longer in the tree (``grid_name`` its code)


@dataclass(frozen=True)
class OverdueBoard:
    """A page of ``unit``'s overdue cases at ``now``; ``others``: the reader's other units,
    to ask for by code."""

    unit: OrgUnit
    entries: tuple[OverdueEntry, ...]
    total: int
    page: int
    pages: int
    now: datetime
    others: tuple[OrgUnit, ...] = ()


async def overdue_cases(cmd: OverdueOf, ctx: Context) -> OverdueBoard:
    """PermissionDenied for anyone but the unit's supervisors and (for a grid) its leader
    and branch secretary, before anything is read; UnknownUnit for an unknown code."""
    actor = known(cmd.actor)
    unit = unit_asked(actor, cmd.unit_code)
    async with ctx.reading() as uow:
        return await board_of(uow, actor, unit, cmd.page, ctx.clock.now())


async def board_of(
    uow: UnitOfWork, actor: Actor, unit: OrgUnit, page: int, now: datetime
) -> OverdueBoard:
    """The page of a unit the actor may read (checked by the caller)."""
    grids = grids_of(actor.tree, unit)
    total = await uow.overdue.count_overdue(grids, now)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    cases = await uow.overdue.overdue(grids, now, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
    urges = await uow.overdue.urge_counts([c.id for c in cases if c.id is not None])
    holders = sorted({c.assignee_id for c in cases if c.assignee_id is not None})
    people = await uow.people.many(holders) if holders else {}
    entries = []
    for case in cases:
        holder = people.get(case.assignee_id) if case.assignee_id is not None else None
        entries.append(
            OverdueEntry(
                case=case,
                category=actor.org.category(case.category_code),
                grid_name=_name(actor, case.grid_code),
                grid=actor.tree.get(case.grid_code) if case.grid_code in actor.tree else None,
                assignee=holder.name if holder else None,
                late=lateness(case, now) or timedelta(0),
                urges=urges.get(case.id or 0, 0),
                may_urge=holder is not None
                and may(actor.staff, Action.URGE, tree=actor.tree, case=case),
            )
        )
    others = tuple(u for u in scope_units(actor) if u.code != unit.code)
    return OverdueBoard(unit, tuple(entries), total, page, pages, now, others)


def _name(actor: Actor, code: str) -> str:
    return actor.tree.get(code).name if code in actor.tree else code
