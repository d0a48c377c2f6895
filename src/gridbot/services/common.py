"""What the use cases of several features share: the org tree around a case, finding,
locking and recording cases, and scheduling work that falls due later."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.errors import NotFound
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.numbering import parse_case_number
from gridbot.domain.org import Category
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import action_for, require
from gridbot.services.context import Actor
from gridbot.services.orgcache import Organisation
from gridbot.services.ports import UnitOfWork


async def tree_around(
    uow: UnitOfWork, codes: Iterable[str], known: OrgTree | None = None
) -> OrgTree:
    """The org tree around these units, each with its chain up to the district. With
    ``known`` (a tree loaded the same way), only what it lacks is read."""
    wanted = [code for code in dict.fromkeys(codes) if code]
    if known is not None and known.covers(wanted):
        return known
    units = await uow.org.around(wanted)
    return known.merged(units) if known is not None else OrgTree(units)


def case_units(case: Case) -> list[str]:
    """The units a case lives on: its grid and the unit handling it now."""
    return [case.grid_code, case.unit_code or case.grid_code]


async def find_case(uow: UnitOfWork, ref: int | str, *, lock: bool = False) -> Case:
    """A case by id, or by a number as people type it (``2026-000123``); NotFound otherwise.
    ``lock``: the row stays locked until the transaction ends, so a double tap or a
    colleague acting at the same time waits, then sees the first change."""
    case: Case | None
    if isinstance(ref, int):
        case = await (uow.cases.get_for_update(ref) if lock else uow.cases.get(ref))
    else:
        year, seq = parse_case_number(ref)
        case = await uow.cases.by_number(f"{year}-{seq:06d}")
        if case is not None and case.id is not None and lock:
            case = await uow.cases.get_for_update(case.id)
    if case is None or case.id is None:
        raise NotFound(f"no case {ref}", case=str(ref))
    return case


async def category_of(uow: UnitOfWork, org: Organisation, case: Case) -> Category:
    """The case's category, as the organisation of the update has it (else as stored: one
    created since)."""
    category = org.category(case.category_code) or await uow.categories.get(case.category_code)
    if category is None:
        raise NotFound(f"no category {case.category_code!r}", category=case.category_code)
    return category


async def record(uow: UnitOfWork, case: Case, *events: CaseEvent) -> None:
    """Store a transition: the case as it now is, and the events that made it so."""
    await uow.cases.update(case)
    for event in events:
        await uow.cases.add_event(event)


@dataclass(frozen=True)
class Acting:
    """Who acts on which case (its row locked), the case's category, and the tree around
    both: everything a workflow use case reads before it changes the case."""

    actor: Actor
    case: Case
    category: Category
    tree: OrgTree

    @property
    def person_id(self) -> int:
        return self.actor.id

    @property
    def case_id(self) -> int:
        assert self.case.id is not None
        return self.case.id


async def acting_on(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    action: CaseAction | Callable[[Case], CaseAction],
    *,
    lock: bool = True,
) -> Acting:
    """The actor and the case, once policy allows ``action`` (or the action picked for
    this case); NotFound or PermissionDenied otherwise."""
    case = await find_case(uow, case_id, lock=lock)
    tree = await tree_around(uow, case_units(case), actor.tree)
    picked = action if isinstance(action, CaseAction) else action(case)
    require(actor.staff, action_for(picked), tree=tree, case=case)
    return Acting(actor, case, await category_of(uow, actor.org, case), tree)


async def schedule(
    uow: UnitOfWork,
    kind: DueKind,
    ref: str,
    due_at: datetime,
    payload: Mapping[str, Any] | None = None,
) -> None:
    """Store a due item in the caller's transaction (nothing if the same kind, ref and
    time are already scheduled); a scheduler tick runs it once."""
    await uow.due.queue(DueItem(kind=kind, due_at=due_at, ref=ref, payload=dict(payload or {})))


async def reschedule(
    uow: UnitOfWork,
    kind: DueKind,
    ref: str,
    due_at: datetime,
    payload: Mapping[str, Any] | None = None,
) -> None:
    """Replace any undone item of this kind about ``ref`` (a deadline that moved)."""
    await uow.due.cancel(kind, ref)
    await schedule(uow, kind, ref, due_at, payload)


async def cancel_due(uow: UnitOfWork, case: Case, kinds: Collection[DueKind]) -> None:
    """Once a case moves on, its pending reminders of these kinds lose their point."""
    for kind in kinds:
        await uow.due.cancel(kind, case.number)
