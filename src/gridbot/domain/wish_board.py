"""/wishes: the micro-wishes of the grids a branch secretary or grid leader looks after."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from gridbot.domain.case import Case, CaseKind, CaseStatus
from gridbot.domain.case_common import known_staff
from gridbot.domain.errors import PermissionDenied
from gridbot.domain.org import UnitLevel
from gridbot.domain.policy import GRID_LEADERS
from gridbot.domain.ports import UnitOfWork

OPEN_WISH_STATUSES = (CaseStatus.APPROVED, CaseStatus.CLAIMED, CaseStatus.FULFILLED)


@dataclass(frozen=True)
class WishBoard:
    """``pending``: waiting for approval (通过/驳回), oldest first. ``open``: approved,
    claimed or fulfilled and not yet confirmed, with ``claimants`` (person id → name)."""

    pending: tuple[Case, ...] = ()
    open: tuple[Case, ...] = ()
    claimants: Mapping[int, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.pending or self.open)


async def pending_wishes(uow: UnitOfWork, telegram_id: int) -> WishBoard:
    """The wishes of every grid at or below the units where the person is a branch
    secretary or grid leader; PermissionDenied for anyone else."""
    staff = await known_staff(uow, telegram_id)
    units = [a.unit_code for a in staff.roles if a.role in GRID_LEADERS]
    if not units:
        raise PermissionDenied(
            f"{staff.person.name} leads no grid", action="wishes", person_id=staff.person.id
        )
    grids = await _grids_under(uow, units)
    pending = await uow.cases.in_grids(CaseKind.WISH, grids, [CaseStatus.SUBMITTED])
    opened = await uow.cases.in_grids(CaseKind.WISH, grids, OPEN_WISH_STATUSES)
    ids = sorted({c.claimant_id for c in opened if c.claimant_id is not None})
    people = await uow.people.many(ids)
    return WishBoard(
        pending=tuple(pending),
        open=tuple(opened),
        claimants={pid: person.name for pid, person in people.items()},
    )


async def _grids_under(uow: UnitOfWork, codes: Iterable[str]) -> list[str]:
    """The grids among these units and below them (a community's grids), each once."""
    grids: dict[str, None] = {}
    todo, seen = list(codes), set()
    while todo:
        code = todo.pop()
        if code in seen:
            continue
        seen.add(code)
        unit = await uow.org.get_unit(code)
        if unit is None:
            continue
        if unit.level == UnitLevel.GRID:
            grids.setdefault(code, None)
        elif unit.level.depth < UnitLevel.GRID.depth:
            todo.extend(child.code for child in await uow.org.children(code))
    return sorted(grids)
