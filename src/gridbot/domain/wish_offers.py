"""Offering an approved micro-wish to those who may take it up, and telling the reporter.

An approved wish is offered, with a 认领 Claim button, to every party member, service
specialist and building leader of its grid (its buildings included), and, when it is
public, to the group it was posted from: there with a short, masked summary only, never
the resident's name.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import tzinfo

from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.case_notices import N_, announce, local, public_summary
from gridbot.domain.notices import Button, Keyboard, Notifier, case_callback
from gridbot.domain.policy import WISH_HELPERS
from gridbot.domain.ports import UnitOfWork

OFFER = "notices/wish_offered.html.j2"
GROUP_OFFER = "notices/group_wish_offered.html.j2"


def _id(case: Case) -> int:
    assert case.id is not None  # only saved cases are offered
    return case.id


def claim_keyboard(case: Case) -> Keyboard:
    return Keyboard.of([Button(N_("Claim"), case_callback("claim", _id(case)))])


def fulfil_keyboard(case: Case) -> Keyboard:
    return Keyboard.of([Button(N_("Fulfilled"), case_callback("fulfil", _id(case)))])


async def wish_helpers(uow: UnitOfWork, case: Case) -> list[int]:
    """Who may take the wish up: helpers on its grid and the grid's buildings, in role
    order, each once, never its reporter."""
    units = [case.grid_code, *(u.code for u in await uow.org.children(case.grid_code))]
    found: dict[int, None] = {}
    for assignment in await uow.people.assignments_on(units):
        if assignment.role in WISH_HELPERS and assignment.person_id != case.reporter_id:
            found.setdefault(assignment.person_id, None)
    return list(found)


async def offer_wish(
    uow: UnitOfWork,
    notifier: Notifier,
    case: Case,
    tz: tzinfo | str,
    exclude: Collection[int] = (),
) -> int:
    """Offer the wish to its helpers (but ``exclude``) and its public group; returns how
    many people were reached."""
    keyboard, wanted_by = claim_keyboard(case), local(case.wanted_by, tz)
    reached = 0
    for person_id in await wish_helpers(uow, case):
        if person_id not in exclude:
            reached += await notifier.to_person(
                uow,
                person_id,
                OFFER,
                keyboard=keyboard,
                photo=case.photos[0] if case.photos else None,
                case=case,
                wanted_by=wanted_by,
            )
    if case.public and case.source_chat_id is not None:
        binding = await uow.bindings.get(case.source_chat_id)
        if binding is not None and binding.active:
            await notifier.to_chat(
                uow,
                case.source_chat_id,
                GROUP_OFFER,
                keyboard=keyboard,
                number=case.number,
                summary=public_summary(case.text),
                wanted_by=wanted_by,
            )
    return reached


async def tell_reporter_only(
    uow: UnitOfWork, notifier: Notifier, case: Case, event: CaseEvent
) -> None:
    """``announce`` to the reporter alone: the group gets the offer with its Claim button
    instead of a second, plain status line."""
    await announce(uow, notifier, replace(case, public=False), event)
