"""The case card of those who handle a case: what it shows, which buttons it offers, and
督办 (urge), the supervisor's and grid leader's nudge.

A card's buttons are what the lifecycle allows next *and* what policy lets this person do;
a tap is still checked again by the use case it calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.case import Case
from gridbot.domain.case_common import check_text, known_staff, record, tree_around
from gridbot.domain.case_notices import N_
from gridbot.domain.case_views import CaseView, case_view
from gridbot.domain.errors import IllegalTransition
from gridbot.domain.lifecycle import CaseAction, allowed_actions, apply
from gridbot.domain.notices import Button, Keyboard, Notifier, case_callback
from gridbot.domain.org import Category, Staff
from gridbot.domain.policy import action_for, may
from gridbot.domain.ports import Clock, UnitOfWork
from gridbot.domain.workflow_moves import whistle_departments
from gridbot.domain.workflow_support import acting_on
from gridbot.domain.workflow_views import TransferTarget, transfer_targets

URGED = "worker/urged.html.j2"


@dataclass(frozen=True)
class CaseCard:
    """One case as a handler's card: ``details`` says whether the full text may be shown
    (only to those who act on the case or its reporter); ``actions`` are the buttons."""

    case: Case
    category: Category | None
    assignee: str | None
    actions: tuple[CaseAction, ...]
    details: bool


async def _actions(uow: UnitOfWork, staff: Staff, case: Case) -> tuple[CaseAction, ...]:
    codes = [case.grid_code, case.unit_code or case.grid_code]
    tree = await tree_around(uow, [*codes, *(a.unit_code for a in staff.roles)])
    return tuple(
        a for a in allowed_actions(case) if may(staff, action_for(a), tree=tree, case=case)
    )


async def _assignee_name(uow: UnitOfWork, case: Case) -> str | None:
    person = await uow.people.get(case.assignee_id) if case.assignee_id else None
    return person.name if person else None


async def card_after(uow: UnitOfWork, telegram_id: int, case: Case) -> CaseCard:
    """The card of ``case`` right after this person changed it (they may no longer be
    allowed to act on it, or even to see it: the card then shows the move, no buttons)."""
    staff = await known_staff(uow, telegram_id)
    return CaseCard(
        case=case,
        category=await uow.categories.get(case.category_code),
        assignee=await _assignee_name(uow, case),
        actions=await _actions(uow, staff, case),
        details=True,
    )


async def open_card(
    uow: UnitOfWork, telegram_id: int, case_id_or_number: int | str
) -> tuple[CaseCard, CaseView]:
    """The card and the timeline (``case_view``) for someone allowed to see the case;
    NotFound, PermissionDenied or ValidationFailed (not a case number) otherwise."""
    view = await case_view(uow, telegram_id, case_id_or_number)
    case = view.case
    card = CaseCard(
        case=case,
        category=view.category,
        assignee=view.names.get(case.assignee_id) if case.assignee_id else None,
        actions=view.actions,
        details=view.is_reporter or bool(view.actions) or view.reporter_phone is not None,
    )
    return card, view


async def urge_case(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    telegram_id: int,
    case_id: int,
    note: str | None = None,
) -> Case:
    """督办: a supervisor of the unit, or the grid's leader, presses whoever holds an open
    case. The event stays among staff (the reporter's timeline leaves it out)."""
    acting = await acting_on(uow, telegram_id, case_id, CaseAction.URGE)
    text = check_text(note) if note is not None and note.strip() else None
    case = acting.case
    event = apply(case, CaseAction.URGE, actor_id=acting.person_id, now=clock.now(), note=text)
    await record(uow, case, event)
    if case.assignee_id is not None and case.assignee_id != acting.person_id:
        await notifier.to_person(
            uow,
            case.assignee_id,
            URGED,
            keyboard=Keyboard.of(
                [Button(N_("Open the case"), case_callback("card", acting.case_id))]
            ),
            case=case,
            category=await uow.categories.get(case.category_code),
            by=acting.staff.person.name,
            note=text,
        )
    return case


async def check_action(uow: UnitOfWork, telegram_id: int, case_id: int, action: CaseAction) -> Case:
    """Refuse at the first tap what the last step would refuse: someone else's case
    (PermissionDenied) or a case that has moved on (IllegalTransition). Changes nothing."""
    acting = await acting_on(uow, telegram_id, case_id, action)
    if action not in allowed_actions(acting.case):
        raise IllegalTransition(
            f"cannot {action} case {acting.case.number} now",
            status=acting.case.status.value,
            action=action.value,
        )
    return acting.case


async def transfer_options(uow: UnitOfWork, telegram_id: int, case_id: int) -> list[TransferTarget]:
    """Whom this person may transfer the case to now (转派); refused like ``check_action``."""
    await check_action(uow, telegram_id, case_id, CaseAction.TRANSFER)
    return await transfer_targets(uow, telegram_id, case_id)


async def whistle_options(uow: UnitOfWork, telegram_id: int, case_id: int) -> list[str]:
    """The departments this dispatcher may whistle the case to now (吹哨)."""
    await check_action(uow, telegram_id, case_id, CaseAction.WHISTLE)
    return await whistle_departments(uow, case_id)
