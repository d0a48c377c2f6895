"""Micro-wishes (微心愿) after they are posted: approve or reject, claim, fulfil, confirm,
points; and the expiry of a claim that was not fulfilled in time.

submitted → approved (the grid's branch secretary or leader) | rejected (with a reason) →
claimed (first claim wins) → fulfilled (the claimant, with a note or photo) → confirmed
(the reporter) → points to the claimant. A claim not fulfilled by ``claim_expires_at``
goes back to approved and is offered again. Every use case locks the case row, so two
concurrent claims apply one after the other and the second is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

from gridbot.domain.care import PointsEntry
from gridbot.domain.case import Case, CaseStatus
from gridbot.domain.case_common import (
    check_photos,
    check_text,
    known_person,
    known_staff,
    record,
    tree_around,
)
from gridbot.domain.case_notices import announce, local
from gridbot.domain.due import reschedule
from gridbot.domain.errors import IllegalTransition, NotFound
from gridbot.domain.lifecycle import CaseAction, apply
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.notices import Notifier
from gridbot.domain.org import Staff
from gridbot.domain.policy import action_for, require
from gridbot.domain.ports import Clock, UnitOfWork
from gridbot.domain.wish_board import WishBoard, pending_wishes
from gridbot.domain.wish_offers import fulfil_keyboard, offer_wish, tell_reporter_only

__all__ = [
    "CLAIM_HOURS",
    "WISH_POINTS",
    "AlreadyClaimed",
    "WishBoard",
    "approve_wish",
    "claim_wish",
    "confirm_wish",
    "fulfil_wish",
    "on_claim_expiry",
    "pending_wishes",
    "points_of",
    "reject_wish",
]

CLAIM_HOURS = 72  # a claim not fulfilled within this (or by the wanted-by date) expires
WISH_POINTS = 10  # 积分 for a fulfilled wish the resident confirmed
A = CaseAction
_TAKEN = (CaseStatus.CLAIMED, CaseStatus.FULFILLED, CaseStatus.CONFIRMED)


class AlreadyClaimed(IllegalTransition):
    """Someone else claimed the wish first."""

    code = "already_claimed"


async def _locked_wish(
    uow: UnitOfWork, telegram_id: int, case_id: int, action: CaseAction
) -> tuple[Staff, Case]:
    """Who asks, and the wish with its row locked; NotFound for anything but a wish,
    PermissionDenied when the policy refuses ``action``."""
    staff = await known_staff(uow, telegram_id)
    case = await uow.cases.get_for_update(case_id)
    if case is None or not case.is_wish:
        raise NotFound(f"no micro-wish {case_id}", case=str(case_id))
    # The actor's own units too: a building leader's building lies below the grid.
    codes = [case.grid_code, case.unit_code or case.grid_code, *(a.unit_code for a in staff.roles)]
    require(staff, action_for(action), tree=await tree_around(uow, codes), case=case)
    return staff, case


async def approve_wish(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    tz: tzinfo | str,
    telegram_id: int,
    case_id: int,
) -> Case:
    """The grid's branch secretary or leader approves the wish: the reporter is told and
    the wish is offered to the grid's helpers (and its group when public)."""
    staff, case = await _locked_wish(uow, telegram_id, case_id, A.APPROVE)
    event = apply(case, A.APPROVE, actor_id=staff.person.id, now=clock.now())
    await record(uow, case, event)
    await uow.due.cancel(DueKind.RESPOND_DEADLINE, case.number)
    await tell_reporter_only(uow, notifier, case, event)
    await offer_wish(uow, notifier, case, tz)
    return case


async def reject_wish(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    telegram_id: int,
    case_id: int,
    reason: str,
) -> Case:
    """驳回 with a reason, which the reporter is told."""
    staff, case = await _locked_wish(uow, telegram_id, case_id, A.REJECT)
    event = apply(
        case, A.REJECT, actor_id=staff.person.id, now=clock.now(), note=check_text(reason)
    )
    await record(uow, case, event)
    await uow.due.cancel(DueKind.RESPOND_DEADLINE, case.number)
    await announce(uow, notifier, case, event)
    return case


async def claim_wish(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    tz: tzinfo | str,
    telegram_id: int,
    case_id: int,
) -> Case:
    """认领: the first claim wins; later ones get AlreadyClaimed. The claimant gets the
    wish with the reporter's contact and a 完成 Fulfilled button; the claim expires after
    CLAIM_HOURS, or at the wish's wanted-by date if that is sooner."""
    staff, case = await _locked_wish(uow, telegram_id, case_id, A.CLAIM)
    if case.status in _TAKEN:
        raise AlreadyClaimed(f"wish {case.number} is already claimed", case=case.number)
    now = clock.now()
    event = apply(case, A.CLAIM, actor_id=staff.person.id, now=now)
    case.claim_expires_at = _claim_expiry(case, now)
    await record(uow, case, event)
    await reschedule(
        uow,
        DueKind.WISH_CLAIM_EXPIRY,
        case.number,
        case.claim_expires_at,
        {"claimant_id": case.claimant_id},
    )
    reporter = await uow.people.get(case.reporter_id) if case.reporter_id else None
    await notifier.to_person(
        uow,
        _claimant(case),
        "notices/wish_claimed.html.j2",
        keyboard=fulfil_keyboard(case),
        case=case,
        reporter=reporter,
        expires_at=local(case.claim_expires_at, tz),
    )
    await announce(uow, notifier, case, event)
    return case


def _claim_expiry(case: Case, now: datetime) -> datetime:
    expires = now + timedelta(hours=CLAIM_HOURS)
    if case.wanted_by is not None and now < case.wanted_by < expires:
        return case.wanted_by
    return expires


def _claimant(case: Case) -> int:
    assert case.claimant_id is not None  # claimed, fulfilled or confirmed
    return case.claimant_id


async def fulfil_wish(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    telegram_id: int,
    case_id: int,
    note: str | None,
    photos: Sequence[str] = (),
) -> Case:
    """The claimant reports the wish fulfilled, with a note or a photo (or both); the
    reporter is asked to 确认 Confirm."""
    staff, case = await _locked_wish(uow, telegram_id, case_id, A.FULFIL)
    attachments = check_photos(photos)
    text = check_text(note) if (note and note.strip()) or not attachments else None
    event = apply(
        case,
        A.FULFIL,
        actor_id=staff.person.id,
        now=clock.now(),
        note=text,
        attachments=attachments,
    )
    await record(uow, case, event)
    await uow.due.cancel(DueKind.WISH_CLAIM_EXPIRY, case.number)
    await announce(uow, notifier, case, event)
    return case


async def confirm_wish(
    uow: UnitOfWork, clock: Clock, notifier: Notifier, telegram_id: int, case_id: int
) -> Case:
    """The reporter confirms: the claimant earns WISH_POINTS and is told their new total."""
    staff, case = await _locked_wish(uow, telegram_id, case_id, A.CONFIRM)
    now = clock.now()
    event = apply(case, A.CONFIRM, actor_id=staff.person.id, now=now)
    await record(uow, case, event)
    claimant = _claimant(case)
    await uow.care.add_points(PointsEntry(claimant, WISH_POINTS, "wish_confirmed", now, case.id))
    total = await uow.care.points_of(claimant)
    await notifier.to_person(
        uow, claimant, "notices/wish_points.html.j2", case=case, points=WISH_POINTS, total=total
    )
    await announce(uow, notifier, case, event)
    return case


async def on_claim_expiry(
    item: DueItem, uow: UnitOfWork, clock: Clock, notifier: Notifier, tz: tzinfo | str
) -> None:
    """A claim not fulfilled in time: back to approved, the claimant and the reporter are
    told, and the wish is offered again (to everyone but the lapsed claimant)."""
    found = await uow.cases.by_number(item.ref)
    case = await uow.cases.get_for_update(found.id) if found and found.id else None
    now = clock.now()
    if case is None or case.status != CaseStatus.CLAIMED:
        return  # fulfilled, withdrawn or released meanwhile
    if case.claim_expires_at is not None and case.claim_expires_at > now:
        return  # claimed again since: a later item covers the new claim
    claimant = _claimant(case)
    event = apply(case, A.EXPIRE_CLAIM, actor_id=None, now=now)
    await record(uow, case, event)
    await notifier.to_person(uow, claimant, "notices/wish_claim_expired.html.j2", case=case)
    await tell_reporter_only(uow, notifier, case, event)
    await offer_wish(uow, notifier, case, tz, exclude={claimant})


async def points_of(uow: UnitOfWork, telegram_id: int) -> int:
    """The person's 积分 total."""
    person = await known_person(uow, telegram_id)
    assert person.id is not None
    return await uow.care.points_of(person.id)
