"""The case card of those who handle a case: what it shows and which buttons it offers.

A card's buttons are what the lifecycle allows next *and* what policy lets this person do;
a tap is still checked again by the use case it calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.case import Case
from gridbot.domain.errors import IllegalTransition
from gridbot.domain.lifecycle import CaseAction, allowed_actions
from gridbot.domain.org import Category
from gridbot.services.cases.views import CaseView, next_actions, view_of
from gridbot.services.common import Acting, acting_on, case_units, find_case, tree_around
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork


@dataclass(frozen=True)
class CaseCommand:
    """An action of a handler on one case (a tap on its card)."""

    actor: Actor | None
    case_id: int


@dataclass(frozen=True)
class CheckAction(CaseCommand):
    action: CaseAction


@dataclass(frozen=True)
class OpenCard:
    actor: Actor | None
    ref: int | str  # a case id, or a number as typed (2026-000123)


@dataclass(frozen=True)
class CaseCard:
    """One case as a handler's card: ``details`` says whether the full text may be shown
    (only to those who act on the case or its reporter); ``actions`` are the buttons."""

    case: Case
    category: Category | None
    assignee: str | None
    actions: tuple[CaseAction, ...]
    details: bool


async def card_after(uow: UnitOfWork, acting: Acting) -> CaseCard:
    """The card of the case right after this person changed it (they may no longer be
    allowed to act on it, or even to see it: the card then shows the move, no buttons)."""
    case = acting.case
    tree = await tree_around(uow, case_units(case), acting.tree)
    holder = await uow.people.get(case.assignee_id) if case.assignee_id else None
    return CaseCard(
        case=case,
        category=acting.category,
        assignee=holder.name if holder else None,
        actions=next_actions(acting.actor.staff, tree, case),
        details=True,
    )


async def open_card(cmd: OpenCard, ctx: Context) -> tuple[CaseCard, CaseView]:
    """The card and the timeline for someone allowed to see the case; NotFound,
    PermissionDenied or ValidationFailed (not a case number) otherwise."""
    actor = known(cmd.actor)
    async with ctx.reading() as uow:
        view = await view_of(uow, actor, await find_case(uow, cmd.ref))
    case = view.case
    card = CaseCard(
        case=case,
        category=view.category,
        assignee=view.names.get(case.assignee_id) if case.assignee_id else None,
        actions=view.actions,
        details=view.is_reporter or bool(view.actions) or view.reporter_phone is not None,
    )
    return card, view


async def checked(uow: UnitOfWork, actor: Actor, case_id: int, action: CaseAction) -> Acting:
    """The case, when this person may now do ``action`` on it: someone else's case is
    refused (PermissionDenied), so is a case that has moved on (IllegalTransition)."""
    acting = await acting_on(uow, actor, case_id, action, lock=False)
    if action not in allowed_actions(acting.case):
        raise IllegalTransition(
            f"cannot {action} case {acting.case.number} now",
            status=acting.case.status.value,
            action=action.value,
        )
    return acting


async def check_action(cmd: CheckAction, ctx: Context) -> Case:
    """Refuse at the first tap what the last step would refuse; changes nothing."""
    async with ctx.reading() as uow:
        acting = await checked(uow, known(cmd.actor), cmd.case_id, cmd.action)
    return acting.case
