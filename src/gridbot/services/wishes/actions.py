"""Micro-wishes after they are posted: approve or reject, claim, fulfil, confirm, points.

Every use case locks the wish's row, so two concurrent claims apply one after the other and
the second is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.care import PointsEntry
from gridbot.domain.case import Case
from gridbot.domain.errors import AlreadyClaimed, NotFound
from gridbot.domain.lifecycle import CaseAction, apply, next_status
from gridbot.domain.messaging import DueKind
from gridbot.domain.texts import check_photos, check_text
from gridbot.domain.wishes import TAKEN, WISH_POINTS, claim_expiry
from gridbot.services.common import Acting, acting_on, cancel_due, record, reschedule
from gridbot.services.context import Actor, Context, known
from gridbot.services.feedback import schedule_rating_poll
from gridbot.services.ports import UnitOfWork

A = CaseAction


@dataclass(frozen=True)
class WishCommand:
    """An action on one micro-wish (a tap on its card)."""

    actor: Actor | None
    case_id: int


class ApproveWish(WishCommand):
    pass


class ClaimWish(WishCommand):
    pass


class ConfirmWish(WishCommand):
    pass


@dataclass(frozen=True)
class RejectWish(WishCommand):
    reason: str = ""


@dataclass(frozen=True)
class FulfilWish(WishCommand):
    note: str | None = None
    photos: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckWishStep(WishCommand):
    action: CaseAction


async def _wish(uow: UnitOfWork, cmd: WishCommand, action: CaseAction, lock: bool = True) -> Acting:
    """Who asks, and the wish; NotFound for anything but a wish, PermissionDenied when the
    policy refuses ``action``."""
    actor = known(cmd.actor)
    acting = await acting_on(
        uow, actor, cmd.case_id, lambda case: _only_wishes(case, action), lock=lock
    )
    return acting


def _only_wishes(case: Case, action: CaseAction) -> CaseAction:
    if not case.is_wish:
        raise NotFound(f"no micro-wish {case.id}", case=str(case.id))
    return action


async def approve_wish(cmd: ApproveWish, ctx: Context) -> Case:
    """The grid's branch secretary or leader approves the wish: the reporter is told and
    the wish is offered to the grid's helpers (and its group when public)."""
    async with ctx.writing() as uow:
        acting = await _wish(uow, cmd, A.APPROVE)
        case = acting.case
        event = apply(case, A.APPROVE, actor_id=acting.person_id, now=ctx.clock.now())
        await record(uow, case, event)
        await cancel_due(uow, case, (DueKind.RESPOND_DEADLINE,))
        await ctx.notices.case_event(uow, case, event, category=acting.category, tree=acting.tree)
        await uow.commit()
    return case


async def reject_wish(cmd: RejectWish, ctx: Context) -> Case:
    """驳回 with a reason, which the reporter is told."""
    async with ctx.writing() as uow:
        acting = await _wish(uow, cmd, A.REJECT)
        case = acting.case
        event = apply(
            case,
            A.REJECT,
            actor_id=acting.person_id,
            now=ctx.clock.now(),
            note=check_text(cmd.reason),
        )
        await record(uow, case, event)
        await cancel_due(uow, case, (DueKind.RESPOND_DEADLINE,))
        await ctx.notices.case_event(uow, case, event, category=acting.category, tree=acting.tree)
        await uow.commit()
    return case


async def claim_wish(cmd: ClaimWish, ctx: Context) -> Case:
    """认领: the first claim wins; later ones get AlreadyClaimed. The claimant gets the
    wish with the reporter's contact and a 完成 Fulfilled button; the claim expires after
    CLAIM_HOURS, or at the wish's wanted-by date if that is sooner."""
    async with ctx.writing() as uow:
        acting = await _wish(uow, cmd, A.CLAIM)
        case = acting.case
        if case.status in TAKEN:
            raise AlreadyClaimed(f"wish {case.number} is already claimed", case=case.number)
        now = ctx.clock.now()
        event = apply(case, A.CLAIM, actor_id=acting.person_id, now=now)
        case.claim_expires_at = claim_expiry(case, now)
        await record(uow, case, event)
        await reschedule(
            uow,
            DueKind.WISH_CLAIM_EXPIRY,
            case.number,
            case.claim_expires_at,
            {"claimant_id": case.claimant_id},
        )
        await ctx.notices.case_event(uow, case, event, category=acting.category, tree=acting.tree)
        await uow.commit()
    return case


async def fulfil_wish(cmd: FulfilWish, ctx: Context) -> Case:
    """The claimant reports the wish fulfilled, with a note or a photo (or both); its
    poster is asked to rate it (services/feedback: satisfied confirms it)."""
    async with ctx.writing() as uow:
        acting = await _wish(uow, cmd, A.FULFIL)
        case = acting.case
        attachments = check_photos(cmd.photos)
        text = check_text(cmd.note) if (cmd.note and cmd.note.strip()) or not attachments else None
        event = apply(
            case,
            A.FULFIL,
            actor_id=acting.person_id,
            now=ctx.clock.now(),
            note=text,
            attachments=attachments,
        )
        await record(uow, case, event)
        await cancel_due(uow, case, (DueKind.WISH_CLAIM_EXPIRY,))
        await schedule_rating_poll(uow, ctx, case)
        await ctx.notices.case_event(uow, case, event, category=acting.category, tree=acting.tree)
        await uow.commit()
    return case


async def confirm_wish(cmd: ConfirmWish, ctx: Context) -> Case:
    """The reporter confirms (the 确认 button of messages sent before wishes were rated):
    the claimant earns WISH_POINTS and is told their new total."""
    async with ctx.writing() as uow:
        acting = await _wish(uow, cmd, A.CONFIRM)
        case, now = acting.case, ctx.clock.now()
        event = apply(case, A.CONFIRM, actor_id=acting.person_id, now=now)
        await record(uow, case, event)
        assert case.claimant_id is not None  # a confirmed wish was claimed
        await uow.care.add_points(
            PointsEntry(case.claimant_id, WISH_POINTS, "wish_confirmed", now, case.id)
        )
        total = await uow.care.points_of(case.claimant_id)
        await ctx.notices.case_event(
            uow, case, event, category=acting.category, points=WISH_POINTS, total=total
        )
        await uow.commit()
    return case


async def check_wish_step(cmd: CheckWishStep, ctx: Context) -> Case:
    """Before a wish action asks the person to type (a reason to 驳回, a note to 完成): the
    checks the use case will make, made at the tap, so nobody types for nothing. NotFound
    for anything but a wish, PermissionDenied or IllegalTransition; changes nothing."""
    async with ctx.reading() as uow:
        acting = await _wish(uow, cmd, cmd.action, lock=False)
    next_status(acting.case.kind, acting.case.status, cmd.action)
    return acting.case


async def points_of(ctx: Context, actor: Actor | None) -> int:
    """The person's 积分 total."""
    person = known(actor)
    async with ctx.reading() as uow:
        return await uow.care.points_of(person.id)
