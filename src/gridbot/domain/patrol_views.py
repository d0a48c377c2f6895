"""What /patrol shows before anything is done: the worker's grid, their open patrol, and
the categories a hazard found on the way can be filed under."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.case_common import known_staff
from gridbot.domain.case_routing import WISH_CATEGORY
from gridbot.domain.org import Category, OrgUnit
from gridbot.domain.patrol import Patrol, patrol_grid
from gridbot.domain.ports import UnitOfWork


@dataclass(frozen=True)
class PatrolDesk:
    grid: OrgUnit
    patrol: Patrol | None  # the open patrol, if any
    categories: tuple[Category, ...]


async def patrol_desk(uow: UnitOfWork, telegram_id: int) -> PatrolDesk:
    """The person's patrol desk; NotBound for a stranger, PermissionDenied for someone
    who patrols no grid."""
    staff = await known_staff(uow, telegram_id)
    assert staff.person.id is not None
    patrol = await uow.patrols.open_for(staff.person.id)
    code = patrol.grid_code if patrol is not None else await patrol_grid(uow, staff)
    grid = await uow.org.get_unit(code)
    assert grid is not None  # patrols are on known grids
    categories = await uow.categories.list_active()
    return PatrolDesk(
        grid=grid,
        patrol=patrol,
        categories=tuple(c for c in categories if c.code != WISH_CATEGORY),
    )
