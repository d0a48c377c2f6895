"""The assignee's side of the closed loop: accept (or 报到), progress, resolve, return; and
督办 (urge), the supervisor's and grid leader's nudge."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.case import Case, CaseLevel, ReturnReason
from gridbot.domain.errors import NoAssignee, NotFound, ValidationFailed
from gridbot.domain.lifecycle import CaseAction, apply, next_status
from gridbot.domain.messaging import DueKind
from gridbot.domain.overdue import check_still_overdue, check_urge_interval
from gridbot.domain.texts import check_photos, check_text, optional_text
from gridbot.services.common import acting_on, cancel_due, find_case, record
from gridbot.services.context import Context, known
from gridbot.services.feedback import schedule_rating_poll
from gridbot.services.ports import UnitOfWork
from gridbot.services.workflow.cards import CaseCard, CaseCommand, card_after

A = CaseAction
# Once a case moves on, its pending reminders lose their point.
_ANSWERED = (DueKind.RESPOND_DEADLINE,)
_FINISHED = (DueKind.RESPOND_DEADLINE, DueKind.RESOLVE_DEADLINE)


class AcceptCase(CaseCommand):
    """接单, or 报到 on a case whistled to a department."""


@dataclass(frozen=True)
class UrgeCase(CaseCommand):
    note: str | None = None
    overdue_only: bool = False  # from the overdue list: only while the case is overdue


@dataclass(frozen=True)
class AddProgress(CaseCommand):
    note: str = ""
    photos: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResolveCase(CaseCommand):
    note: str = ""
    photos: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReturnCase(CaseCommand):
    """退回 as a duplicate of another case (its number is required) or as out of scope."""

    reason: ReturnReason | str = ReturnReason.OUT_OF_SCOPE
    note: str | None = None
    duplicate_of: str | None = None


def accept_action(case: Case) -> CaseAction:
    """A department's liaison reports for duty (报到); everyone else accepts (接单)."""
    return A.REPORT_FOR_DUTY if case.level == CaseLevel.DEPARTMENT else A.ACCEPT


async def accept_case(cmd: AcceptCase, ctx: Context) -> CaseCard:
    """The handler takes the case: the response reminders stop, the reporter hears, and
    after 报到 the street that whistled hears too."""
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, accept_action)
        case = acting.case
        event = apply(case, accept_action(case), actor_id=acting.person_id, now=ctx.clock.now())
        await record(uow, case, event)
        await cancel_due(uow, case, _ANSWERED)
        await ctx.notices.case_event(uow, case, event, category=acting.category, tree=acting.tree)
        card = await card_after(uow, acting)
        await uow.commit()
    return card


async def urge_case(cmd: UrgeCase, ctx: Context) -> CaseCard:
    """督办: a supervisor of the unit, or the grid's leader, presses whoever holds an open
    case. The event stays among staff (the reporter's timeline leaves it out). One person
    urges one case once in ``overdue.URGE_INTERVAL`` (UrgedRecently); from the overdue
    list, only a case still overdue (NotOverdue) that someone holds (NoAssignee)."""
    text = optional_text(cmd.note)
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, A.URGE)
        case, now = acting.case, ctx.clock.now()
        if cmd.overdue_only:
            check_still_overdue(case, now)
            if case.assignee_id is None:
                raise NoAssignee(f"nobody holds case {case.number}", number=case.number, urge=True)
        check_urge_interval(case, await uow.cases.events(acting.case_id), acting.person_id, now)
        event = apply(case, A.URGE, actor_id=acting.person_id, now=now, note=text)
        await record(uow, case, event)
        await ctx.notices.case_event(uow, case, event, category=acting.category, tree=acting.tree)
        card = await card_after(uow, acting)
        await uow.commit()
    return card


async def add_progress(cmd: AddProgress, ctx: Context) -> CaseCard:
    """进展: a note (and photos) on a case being handled; the reporter hears."""
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, A.PROGRESS)
        text, attachments = check_text(cmd.note), check_photos(cmd.photos)
        case = acting.case
        event = apply(
            case,
            A.PROGRESS,
            actor_id=acting.person_id,
            now=ctx.clock.now(),
            note=text,
            attachments=attachments,
        )
        await record(uow, case, event)
        await ctx.notices.case_event(uow, case, event, category=acting.category, tree=acting.tree)
        card = await card_after(uow, acting)
        await uow.commit()
    return card


async def resolve_case(cmd: ResolveCase, ctx: Context) -> CaseCard:
    """办结: the case is resolved and waits for the reporter's rating (with the handler's
    note and photo); no rating reminds them, then closes it (services/feedback). A category
    that requires evidence needs a photo (ValidationFailed ``evidence_required``)."""
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, A.RESOLVE)
        case, now = acting.case, ctx.clock.now()
        next_status(case.kind, case.status, A.RESOLVE)  # a stale status is refused first
        text, attachments = check_text(cmd.note), check_photos(cmd.photos)
        if acting.category.requires_evidence and not attachments:
            raise ValidationFailed("evidence_required", code="evidence_required", case=case.number)
        event = apply(
            case, A.RESOLVE, actor_id=acting.person_id, now=now, note=text, attachments=attachments
        )
        await record(uow, case, event)
        await cancel_due(uow, case, _FINISHED)
        await schedule_rating_poll(uow, ctx, case)
        await ctx.notices.case_event(uow, case, event, category=acting.category, tree=acting.tree)
        card = await card_after(uow, acting)
        await uow.commit()
    return card


async def return_case(cmd: ReturnCase, ctx: Context) -> CaseCard:
    """退回: the case is not taken up; the reporter hears why."""
    async with ctx.writing() as uow:
        acting = await acting_on(uow, known(cmd.actor), cmd.case_id, A.REJECT)
        case = acting.case
        next_status(case.kind, case.status, A.REJECT)
        why = _reason(cmd.reason)
        extra = optional_text(cmd.note)
        other = (
            await _duplicate_of(uow, case, cmd.duplicate_of)
            if why == ReturnReason.DUPLICATE
            else None
        )
        label = f"[{why.value}{' ' + other if other else ''}]"
        event = apply(
            case,
            A.REJECT,
            actor_id=acting.person_id,
            now=ctx.clock.now(),
            note=f"{label} {extra}" if extra else label,
        )
        await record(uow, case, event)
        await cancel_due(uow, case, _FINISHED)
        await ctx.notices.case_event(
            uow,
            case,
            event,
            category=acting.category,
            tree=acting.tree,
            reason=why.value,
            duplicate_of=other,
            return_note=extra,
        )
        card = await card_after(uow, acting)
        await uow.commit()
    return card


def _reason(reason: ReturnReason | str) -> ReturnReason:
    try:
        return ReturnReason(reason)
    except ValueError:
        raise ValidationFailed(f"unknown return reason {reason!r}", code="return_reason") from None


async def _duplicate_of(uow: UnitOfWork, case: Case, number: str | None) -> str:
    """The number of the other, existing case this one duplicates."""
    if not number or not number.strip():
        raise ValidationFailed("a duplicate needs the other case's number", code="duplicate_of")
    try:
        other = await find_case(uow, number)
    except (NotFound, ValidationFailed):
        raise ValidationFailed(
            f"no case {number!r} to be a duplicate of", code="duplicate_of", number=number
        ) from None
    if other.id == case.id:
        raise ValidationFailed("a case cannot duplicate itself", code="duplicate_of")
    return other.number
