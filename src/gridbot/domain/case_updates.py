"""What a reporter and their neighbours do to a case after it was sent."""

from __future__ import annotations

from collections.abc import Sequence

from gridbot.domain.case import Case
from gridbot.domain.case_common import (
    check_photos,
    check_text,
    known_staff,
    locked_case,
    record,
    tree_around,
)
from gridbot.domain.case_notices import announce
from gridbot.domain.errors import IllegalTransition, PermissionDenied
from gridbot.domain.lifecycle import CaseAction, apply, is_open
from gridbot.domain.messaging import DueKind
from gridbot.domain.notices import Notifier
from gridbot.domain.org import Staff
from gridbot.domain.policy import action_for, require
from gridbot.domain.ports import Clock, UnitOfWork

# Reminders that lose their point once a case is withdrawn.
_PENDING_ON_OPEN_CASE = (
    DueKind.RESPOND_DEADLINE,
    DueKind.RESOLVE_DEADLINE,
    DueKind.WISH_CLAIM_EXPIRY,
)


async def _authorized(
    uow: UnitOfWork, telegram_id: int, case_id: int, action: CaseAction
) -> tuple[Staff, Case]:
    staff = await known_staff(uow, telegram_id)
    case = await locked_case(uow, case_id)
    tree = await tree_around(uow, [case.grid_code, case.unit_code or case.grid_code])
    require(staff, action_for(action), tree=tree, case=case)
    return staff, case


def _handler_of(case: Case) -> int | None:
    """Who works on the case now: a wish's claimant, else the assignee."""
    return case.claimant_id or case.assignee_id


async def add_info(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    telegram_id: int,
    case_id: int,
    text: str,
    photos: Sequence[str] = (),
) -> Case:
    """The reporter adds a note (and photos) to their open case; whoever handles it is told."""
    staff, case = await _authorized(uow, telegram_id, case_id, CaseAction.ADD_INFO)
    note, attachments = check_text(text), check_photos(photos)
    event = apply(
        case,
        CaseAction.ADD_INFO,
        actor_id=staff.person.id,
        now=clock.now(),
        note=note,
        attachments=attachments,
    )
    await record(uow, case, event)
    handler = _handler_of(case)
    if handler is not None and handler != staff.person.id:
        await notifier.to_person(
            uow,
            handler,
            "notices/case_info_added.html.j2",
            photo=attachments[0] if attachments else None,
            case=case,
            note=note,
            photo_count=len(attachments),
        )
    await announce(uow, notifier, case, event)
    return case


async def withdraw(
    uow: UnitOfWork, clock: Clock, notifier: Notifier, telegram_id: int, case_id: int
) -> Case:
    """The reporter withdraws their open case (cancelled); whoever handled it is told and
    its pending reminders are dropped."""
    staff, case = await _authorized(uow, telegram_id, case_id, CaseAction.CANCEL)
    event = apply(case, CaseAction.CANCEL, actor_id=staff.person.id, now=clock.now())
    await record(uow, case, event)
    for kind in _PENDING_ON_OPEN_CASE:
        await uow.due.cancel(kind, case.number)
    handler = _handler_of(case)
    if handler is not None and handler != staff.person.id:
        await notifier.to_person(uow, handler, "notices/case_withdrawn.html.j2", case=case)
    await announce(uow, notifier, case, event)
    return case


async def mark_affected(uow: UnitOfWork, clock: Clock, telegram_id: int, case_id: int) -> int:
    """同样问题: a neighbour has the same problem as a public, open case. Returns how many
    households are affected besides the reporter; each account counts once, and the
    reporter's own tap does not count."""
    # Locked: two neighbours tapping at once must both be counted.
    case = await locked_case(uow, case_id)
    assert case.id is not None
    if not case.public:
        raise PermissionDenied(f"case {case.number} is not public", case=case.number)
    if not is_open(case):
        raise IllegalTransition(
            f"case {case.number} is {case.status}", status=case.status.value, action="affected"
        )
    if case.reporter_id is not None:
        reporter = await uow.people.get(case.reporter_id)
        if reporter is not None and reporter.telegram_id == telegram_id:
            return case.affected_count
    if await uow.cases.add_affected(case.id, telegram_id, clock.now()):
        case.affected_count += 1
        await uow.cases.update(case)
    return case.affected_count
