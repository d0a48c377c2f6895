"""The case state machines as explicit transition tables, and the one way to move a case.

Issues and hazards follow the closed loop (docs/domain.md); micro-wishes have their own table.
An action that is not in the table is refused with IllegalTransition and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from gridbot.domain.case import Case, CaseEvent, CaseKind, CaseLevel, CaseStatus, RatingValue
from gridbot.domain.errors import IllegalTransition, ValidationFailed

S = CaseStatus


class CaseAction(StrEnum):
    SUBMIT = "submit"  # the creation event; not a transition
    ASSIGN = "assign"
    ACCEPT = "accept"
    PROGRESS = "progress"
    RESOLVE = "resolve"
    ESCALATE = "escalate"
    WHISTLE = "whistle"  # 吹哨: the street hands the case to a department
    REPORT_FOR_DUTY = "report_for_duty"  # 报到: the department liaison takes it
    TRANSFER = "transfer"
    REJECT = "reject"  # 退回 / 驳回, always with a reason
    CANCEL = "cancel"
    RATE_SATISFIED = "rate_satisfied"
    RATE_BASIC = "rate_basic"
    RATE_UNSATISFIED = "rate_unsatisfied"  # reopens: 重办
    CLOSE = "close"  # automatic, when the reporter does not rate in time
    FOLLOW_UP_OK = "follow_up_ok"
    FOLLOW_UP_RECURRED = "follow_up_recurred"  # reopens, even a closed case
    URGE = "urge"  # 督办
    ADD_INFO = "add_info"
    APPROVE = "approve"
    CLAIM = "claim"
    RELEASE = "release"
    EXPIRE_CLAIM = "expire_claim"
    FULFIL = "fulfil"
    CONFIRM = "confirm"


A = CaseAction

WAITING = (S.SUBMITTED, S.ASSIGNED, S.ESCALATED, S.TRANSFERRED)  # nobody has accepted it yet
OPEN = (*WAITING, S.IN_PROGRESS)
_HANDED_OVER = (S.ESCALATED, S.TRANSFERRED)  # the new assignee accepts


Table = dict[tuple[CaseStatus, CaseAction], CaseStatus]


def _same_status(actions: Sequence[CaseAction], statuses: Sequence[CaseStatus]) -> Table:
    return {(status, action): status for status in statuses for action in actions}


ISSUE_TRANSITIONS: Table = {
    (S.SUBMITTED, A.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.ACCEPT): S.IN_PROGRESS,
    **{(s, A.ACCEPT): S.IN_PROGRESS for s in _HANDED_OVER},
    **{(s, A.REPORT_FOR_DUTY): S.IN_PROGRESS for s in _HANDED_OVER},
    (S.IN_PROGRESS, A.PROGRESS): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    **{(s, A.ESCALATE): S.ESCALATED for s in (S.ASSIGNED, S.IN_PROGRESS, *_HANDED_OVER)},
    **{(s, A.WHISTLE): S.ESCALATED for s in (S.IN_PROGRESS, *_HANDED_OVER)},
    **{(s, A.TRANSFER): S.TRANSFERRED for s in (S.ASSIGNED, S.IN_PROGRESS, *_HANDED_OVER)},
    **{(s, A.REJECT): S.REJECTED for s in WAITING},
    **{(s, A.CANCEL): S.CANCELLED for s in OPEN},
    **_same_status((A.URGE, A.ADD_INFO), OPEN),
    (S.RESOLVED, A.RATE_SATISFIED): S.CLOSED,
    (S.RESOLVED, A.RATE_BASIC): S.CLOSED,
    (S.RESOLVED, A.RATE_UNSATISFIED): S.IN_PROGRESS,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    **_same_status((A.FOLLOW_UP_OK,), (S.RESOLVED, S.CLOSED)),
    (S.RESOLVED, A.FOLLOW_UP_RECURRED): S.IN_PROGRESS,
    (S.CLOSED, A.FOLLOW_UP_RECURRED): S.IN_PROGRESS,
}

WISH_TRANSITIONS: Table = {
    (S.SUBMITTED, A.APPROVE): S.APPROVED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.APPROVED, A.CLAIM): S.CLAIMED,
    (S.CLAIMED, A.RELEASE): S.APPROVED,
    (S.CLAIMED, A.EXPIRE_CLAIM): S.APPROVED,
    (S.CLAIMED, A.FULFIL): S.FULFILLED,
    (S.FULFILLED, A.CONFIRM): S.CONFIRMED,
    # The poster rates a fulfilled wish as a reporter rates a resolved case: satisfied
    # confirms it, unsatisfied gives it back to its claimant, no answer closes it unrated.
    (S.FULFILLED, A.RATE_SATISFIED): S.CONFIRMED,
    (S.FULFILLED, A.RATE_BASIC): S.CONFIRMED,
    (S.FULFILLED, A.RATE_UNSATISFIED): S.CLAIMED,
    (S.FULFILLED, A.CLOSE): S.CLOSED,
    **{(s, A.CANCEL): S.CANCELLED for s in (S.SUBMITTED, S.APPROVED, S.CLAIMED)},
}

TERMINAL_STATUSES = frozenset({S.CLOSED, S.REJECTED, S.CANCELLED, S.CONFIRMED})
# What the reporter's rating of a resolved case (or the poster's of a fulfilled wish) says.
RATINGS: dict[CaseAction, RatingValue] = {
    A.RATE_SATISFIED: RatingValue.SATISFIED,
    A.RATE_BASIC: RatingValue.BASIC,
    A.RATE_UNSATISFIED: RatingValue.UNSATISFIED,
}
# Where a rating, or the close without one, is waited for.
AWAITING_RATING = frozenset({S.RESOLVED, S.FULFILLED})
REOPENING_ACTIONS = frozenset({A.RATE_UNSATISFIED, A.FOLLOW_UP_RECURRED})
# Actions that hand the case to someone else: the event records the new level and assignee.
MOVING_ACTIONS = frozenset({A.ASSIGN, A.ESCALATE, A.TRANSFER, A.WHISTLE})
# Escalation stops at the street, which whistles instead; only a department reports for duty.
LEVEL_GUARDS: dict[CaseAction, frozenset[CaseLevel]] = {
    A.ESCALATE: frozenset({CaseLevel.GRID, CaseLevel.COMMUNITY}),
    A.WHISTLE: frozenset({CaseLevel.STREET}),
    A.REPORT_FOR_DUTY: frozenset({CaseLevel.DEPARTMENT}),
}
_NEXT_LEVEL = {CaseLevel.GRID: CaseLevel.COMMUNITY, CaseLevel.COMMUNITY: CaseLevel.STREET}


def transitions_for(kind: CaseKind) -> Table:
    return WISH_TRANSITIONS if kind == CaseKind.WISH else ISSUE_TRANSITIONS


def next_status(kind: CaseKind, status: CaseStatus, action: CaseAction) -> CaseStatus:
    """The status ``action`` leads to from ``status``; raises IllegalTransition if none."""
    try:
        return transitions_for(kind)[(status, action)]
    except KeyError:
        raise IllegalTransition(
            f"cannot {action} {_article(kind.value)} {kind} that is {status}",
            kind=kind.value,
            status=status.value,
            action=action.value,
        ) from None


def _article(word: str) -> str:
    """The indefinite article of ``word`` in a log message ("an issue", "a wish")."""
    return "an" if word[:1] in "aeiou" else "a"


def allowed_actions(case: Case) -> list[CaseAction]:
    """What the table allows next for this case (for keyboards); permissions come on top."""
    table = transitions_for(case.kind)
    return [
        action
        for action in CaseAction
        if (case.status, action) in table and _level_allows(case, action)
    ]


def is_open(case: Case) -> bool:
    return case.status not in TERMINAL_STATUSES


def rating_action(value: RatingValue) -> CaseAction:
    """The action that records ``value``."""
    return next(action for action, rated in RATINGS.items() if rated == value)


def _level_allows(case: Case, action: CaseAction) -> bool:
    levels = LEVEL_GUARDS.get(action)
    return levels is None or case.kind == CaseKind.WISH or case.level in levels


def _check(
    case: Case,
    action: CaseAction,
    note: str | None,
    assignee_id: int | None,
    department: str | None,
) -> CaseStatus:
    target = next_status(case.kind, case.status, action)
    if not _level_allows(case, action):
        raise IllegalTransition(
            f"cannot {action} a case at {case.level} level",
            status=case.status.value,
            action=action.value,
            level=case.level.value,
        )
    if action == A.REJECT and not (note and note.strip()):
        raise ValidationFailed("a rejection needs a reason", action=action.value)
    if action in MOVING_ACTIONS and assignee_id is None:
        raise ValidationFailed(f"{action} needs the new assignee", action=action.value)
    if action == A.WHISTLE and not (department or case.department):
        raise ValidationFailed("whistling needs a department", action=action.value)
    if case.id is None:
        raise ValidationFailed("the case must be saved before it changes status")
    return target


def apply(
    case: Case,
    action: CaseAction,
    *,
    actor_id: int | None,
    now: datetime,
    note: str | None = None,
    attachments: Sequence[str] = (),
    assignee_id: int | None = None,
    level: CaseLevel | None = None,
    unit_code: str | None = None,
    department: str | None = None,
) -> CaseEvent:
    """Move ``case`` by ``action`` and return the audit event; on refusal nothing changes.

    ``assignee_id`` is required to assign, escalate, transfer or whistle; ``level`` and
    ``unit_code`` say where the case goes (escalation defaults to the next level up);
    ``department`` names the department a case is whistled to.
    """
    target = _check(case, action, note, assignee_id, department)
    before = case.status
    case.status = target
    case.updated_at = now
    _record_times(case, action, target, now)
    _move(case, action, actor_id, assignee_id, level, unit_code, department)
    moved = action in MOVING_ACTIONS
    return CaseEvent(
        case_id=case.id or 0,
        action=action.value,
        actor_id=actor_id,
        at=now,
        from_status=before,
        to_status=target,
        note=note,
        attachments=tuple(attachments),
        level=case.level if moved else None,
        assignee_id=case.assignee_id if moved else None,
    )


def _record_times(case: Case, action: CaseAction, target: CaseStatus, now: datetime) -> None:
    # The first acceptance is what the response rate measures; later hand-overs keep it.
    if action in (A.ACCEPT, A.REPORT_FOR_DUTY) and case.accepted_at is None:
        case.accepted_at = now
    if action in (A.RESOLVE, A.FULFIL):
        case.resolved_at = now
    if target in (S.CLOSED, S.CONFIRMED) and action != A.FOLLOW_UP_OK:
        case.closed_at = now
    if action in REOPENING_ACTIONS:
        case.reopen_count += 1
        case.resolved_at = None
        case.closed_at = None


def _move(
    case: Case,
    action: CaseAction,
    actor_id: int | None,
    assignee_id: int | None,
    level: CaseLevel | None,
    unit_code: str | None,
    department: str | None,
) -> None:
    if action in MOVING_ACTIONS:
        case.assignee_id = assignee_id
        if action == A.ESCALATE:
            case.level = level or _NEXT_LEVEL[case.level]
        elif action == A.WHISTLE:
            case.level = CaseLevel.DEPARTMENT
            case.department = department or case.department
        elif level is not None:
            case.level = level
        if unit_code is not None:
            case.unit_code = unit_code
            if action == A.TRANSFER and case.level == CaseLevel.GRID:
                case.grid_code = unit_code  # moved to the grid it really belongs to
    elif action == A.REPORT_FOR_DUTY and actor_id is not None:
        case.assignee_id = actor_id  # whoever of the department reports for duty owns it
    elif action == A.CLAIM:
        case.claimant_id = actor_id
    elif action in (A.RELEASE, A.EXPIRE_CLAIM):
        case.claimant_id = None
        case.claim_expires_at = None
