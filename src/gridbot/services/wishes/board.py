"""/wishes: the micro-wishes of the grids a branch secretary or grid leader looks after,
and the expiry of a claim that was not fulfilled in time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gridbot.domain.case import Case, CaseKind, CaseStatus
from gridbot.domain.errors import PermissionDenied
from gridbot.domain.lifecycle import CaseAction, apply
from gridbot.domain.messaging import DueItem
from gridbot.domain.org import GRID_LEADERS, UnitLevel
from gridbot.domain.wishes import OPEN_WISH_STATUSES
from gridbot.services.common import find_case, record
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork


@dataclass(frozen=True)
class WishBoardOf:
    actor: Actor | None


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


async def pending_wishes(cmd: WishBoardOf, ctx: Context) -> WishBoard:
    """The wishes of every grid at or below the units where the person is a branch
    secretary or grid leader; PermissionDenied for anyone else."""
    actor = known(cmd.actor)
    units = [a.unit_code for a in actor.roles if a.role in GRID_LEADERS]
    if not units:
        raise PermissionDenied(
            f"{actor.person.name} leads no grid", action="wishes", person_id=actor.id
        )
    async with ctx.reading() as uow:
        grids = await _grids_under(uow, actor, units)
        pending = await uow.cases.in_grids(CaseKind.WISH, grids, [CaseStatus.SUBMITTED])
        opened = await uow.cases.in_grids(CaseKind.WISH, grids, OPEN_WISH_STATUSES)
        ids = sorted({c.claimant_id for c in opened if c.claimant_id is not None})
        people = await uow.people.many(ids) if ids else {}
    return WishBoard(
        pending=tuple(pending),
        open=tuple(opened),
        claimants={pid: person.name for pid, person in people.items()},
    )


async def _grids_under(uow: UnitOfWork, actor: Actor, codes: list[str]) -> list[str]:
    """The grids among these units and below them (a community's grids), each once."""
    grids: set[str] = set()
    todo = [actor.tree.get(code) for code in codes if code in actor.tree]
    while todo:
        unit = todo.pop()
        if unit.level == UnitLevel.GRID:
            grids.add(unit.code)
        elif unit.level.depth < UnitLevel.GRID.depth:
            todo.extend(await uow.org.children(unit.code))
    return sorted(grids)


async def on_claim_expiry(item: DueItem, uow: UnitOfWork, ctx: Context) -> None:
    """A claim not fulfilled in time: back to approved, the claimant and the reporter are
    told, and the wish is offered again (to everyone but the lapsed claimant). A job of the
    due scheduler: it runs in the scheduler's unit of work."""
    found = await uow.cases.by_number(item.ref)
    if found is None or found.id is None:
        return
    case, now = await find_case(uow, found.id, lock=True), ctx.clock.now()
    if case.status != CaseStatus.CLAIMED:
        return  # fulfilled, withdrawn or released meanwhile
    if case.claim_expires_at is not None and case.claim_expires_at > now:
        return  # claimed again since: a later item covers the new claim
    claimant = case.claimant_id
    event = apply(case, CaseAction.EXPIRE_CLAIM, actor_id=None, now=now)
    await record(uow, case, event)
    await ctx.notices.case_event(uow, case, event, claimant=claimant)
