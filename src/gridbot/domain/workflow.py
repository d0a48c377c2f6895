"""The assignee's side of the closed loop: accept (or 报到), progress, resolve, return.

Hand-overs (transfer, escalate, whistle) live in ``workflow_moves``, the task list in
``workflow_views``, the deadline reminders in ``workflow_deadlines``; all are importable
from here. Every use case changes the unit of work it is given and commits nothing; its
messages go to the outbox in the same transaction, so a refused request sends nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from enum import StrEnum

from gridbot.domain.case import Case, CaseLevel
from gridbot.domain.case_common import check_photos, check_text, find_case, record
from gridbot.domain.case_notices import announce, local
from gridbot.domain.deadlines import follow_up_due
from gridbot.domain.due import schedule
from gridbot.domain.errors import NotFound, ValidationFailed
from gridbot.domain.lifecycle import CaseAction, apply, next_status
from gridbot.domain.messaging import DueKind
from gridbot.domain.notices import Notifier
from gridbot.domain.ports import Clock, UnitOfWork
from gridbot.domain.workflow_deadlines import on_resolve_deadline, on_respond_deadline
from gridbot.domain.workflow_moves import (
    escalate_case,
    transfer_case,
    whistle_case,
    whistle_departments,
)
from gridbot.domain.workflow_support import (
    DEPARTMENT_RESPOND_HOURS,
    acting_on,
    category_of,
)
from gridbot.domain.workflow_views import TaskView, TransferTarget, my_tasks, transfer_targets

__all__ = [
    "DEPARTMENT_RESPOND_HOURS",
    "ReturnReason",
    "TaskView",
    "TransferTarget",
    "accept_case",
    "add_progress",
    "escalate_case",
    "my_tasks",
    "on_resolve_deadline",
    "on_respond_deadline",
    "resolve_case",
    "return_case",
    "transfer_case",
    "transfer_targets",
    "whistle_case",
    "whistle_departments",
]

A = CaseAction
REPORTED_FOR_DUTY = "notices/reported_for_duty.html.j2"
# Once a case moves on, its pending reminders lose their point.
_ANSWERED = (DueKind.RESPOND_DEADLINE,)
_FINISHED = (DueKind.RESPOND_DEADLINE, DueKind.RESOLVE_DEADLINE)


class ReturnReason(StrEnum):
    DUPLICATE = "duplicate"  # 重复: the same problem is already a case
    OUT_OF_SCOPE = "out_of_scope"  # 不属于受理范围


def _accept_action(case: Case) -> CaseAction:
    """A department's liaison reports for duty (报到); everyone else accepts (接单)."""
    return A.REPORT_FOR_DUTY if case.level == CaseLevel.DEPARTMENT else A.ACCEPT


async def _cancel(uow: UnitOfWork, case: Case, kinds: Sequence[DueKind]) -> None:
    for kind in kinds:
        await uow.due.cancel(kind, case.number)


async def accept_case(
    uow: UnitOfWork, clock: Clock, notifier: Notifier, telegram_id: int, case_id: int
) -> Case:
    """接单 — or 报到 on a whistled case: the handler takes the case; the response reminders
    stop, the reporter hears, and after 报到 the street that whistled hears too."""
    acting = await acting_on(uow, telegram_id, case_id, _accept_action)
    case, action = acting.case, _accept_action(acting.case)
    event = apply(case, action, actor_id=acting.person_id, now=clock.now())
    await record(uow, case, event)
    await _cancel(uow, case, _ANSWERED)
    if action == A.REPORT_FOR_DUTY:
        for whistler in await _whistlers(uow, case):
            await notifier.to_person(
                uow, whistler, REPORTED_FOR_DUTY, case=case, by=acting.staff.person.name
            )
    await announce(uow, notifier, case, event)
    return case


async def _whistlers(uow: UnitOfWork, case: Case) -> list[int]:
    assert case.id is not None
    events = [e for e in await uow.cases.events(case.id) if e.action == A.WHISTLE]
    last = events[-1].actor_id if events else None
    return [] if last is None else [last]


async def add_progress(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    telegram_id: int,
    case_id: int,
    note: str,
    photos: Sequence[str] = (),
) -> Case:
    """进展: a note (and photos) on a case being handled; the reporter hears."""
    acting = await acting_on(uow, telegram_id, case_id, A.PROGRESS)
    text, attachments = check_text(note), check_photos(photos)
    case = acting.case
    event = apply(
        case,
        A.PROGRESS,
        actor_id=acting.person_id,
        now=clock.now(),
        note=text,
        attachments=attachments,
    )
    await record(uow, case, event)
    await announce(uow, notifier, case, event, photo_count=len(attachments))
    return case


async def resolve_case(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    tz: tzinfo | str,
    telegram_id: int,
    case_id: int,
    note: str,
    photos: Sequence[str] = (),
) -> Case:
    """办结: the case is resolved and waits for the reporter's rating. A category that
    requires evidence needs a photo (ValidationFailed ``evidence_required``). The follow-up
    visit (回访) falls due after the category's delay, for whoever resolved it."""
    acting = await acting_on(uow, telegram_id, case_id, A.RESOLVE)
    case, now = acting.case, clock.now()
    next_status(case.kind, case.status, A.RESOLVE)  # a stale status is refused first
    text, attachments = check_text(note), check_photos(photos)
    category = await category_of(uow, case)
    if category.requires_evidence and not attachments:
        raise ValidationFailed("evidence_required", code="evidence_required", case=case.number)
    event = apply(
        case, A.RESOLVE, actor_id=acting.person_id, now=now, note=text, attachments=attachments
    )
    await record(uow, case, event)
    await _cancel(uow, case, _FINISHED)
    await schedule(
        uow,
        DueKind.FOLLOW_UP,
        case.number,
        follow_up_due(now, category),
        {"visitor_id": acting.person_id},
    )
    await announce(uow, notifier, case, event, resolved_at=local(now, tz))
    return case


async def return_case(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    telegram_id: int,
    case_id: int,
    reason: ReturnReason,
    note: str | None = None,
    duplicate_of: str | None = None,
) -> Case:
    """退回: the case is not taken up, as a duplicate of another case (its number is
    required and must exist) or as out of scope. The reporter hears why."""
    acting = await acting_on(uow, telegram_id, case_id, A.REJECT)
    case = acting.case
    next_status(case.kind, case.status, A.REJECT)
    why = _reason(reason)
    extra = check_text(note) if note is not None and note.strip() else None
    other = await _duplicate_of(uow, case, duplicate_of) if why == ReturnReason.DUPLICATE else None
    label = f"[{why.value}{' ' + other if other else ''}]"
    event = apply(
        case,
        A.REJECT,
        actor_id=acting.person_id,
        now=clock.now(),
        note=f"{label} {extra}" if extra else label,
    )
    await record(uow, case, event)
    await _cancel(uow, case, _FINISHED)
    await announce(
        uow, notifier, case, event, reason=why.value, duplicate_of=other, return_note=extra
    )
    return case


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
