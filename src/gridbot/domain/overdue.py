"""Overdue cases (超时) and urging them (督办): which deadline counts now, how late a case
is, and how often one person may press the holder of one case."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from gridbot.domain.case import Case, CaseEvent, CaseKind
from gridbot.domain.errors import NotOverdue, UrgedRecently
from gridbot.domain.lifecycle import OPEN, WAITING, CaseAction

# One urge of a case by one person is enough for a while: a second within this is refused.
URGE_INTERVAL = timedelta(hours=2)
OVERDUE_KINDS = (CaseKind.ISSUE, CaseKind.HAZARD)  # a micro-wish has no deadline to miss


def current_deadline(case: Case) -> datetime | None:
    """The deadline that matters now: accepting while nobody has accepted the case
    (respond_by), resolving once it is being handled (resolve_by); None once it is done."""
    if case.kind not in OVERDUE_KINDS or case.status not in OPEN:
        return None
    return case.respond_by if case.status in WAITING else case.resolve_by


def lateness(case: Case, now: datetime) -> timedelta | None:
    """How long the current deadline has passed; None when the case is not overdue."""
    deadline = current_deadline(case)
    if deadline is None or deadline >= now:
        return None
    return now - deadline


def is_overdue(case: Case, now: datetime) -> bool:
    return lateness(case, now) is not None


def last_urge(events: Iterable[CaseEvent], person_id: int) -> datetime | None:
    """When ``person_id`` last urged the case these events are of."""
    times = [e.at for e in events if e.action == CaseAction.URGE and e.actor_id == person_id]
    return max(times, default=None)


def check_urge_interval(
    case: Case, events: Iterable[CaseEvent], person_id: int, now: datetime
) -> None:
    """UrgedRecently when this person urged this case less than URGE_INTERVAL ago."""
    last = last_urge(events, person_id)
    if last is None or now - last >= URGE_INTERVAL:
        return
    wait = URGE_INTERVAL - (now - last)
    raise UrgedRecently(
        f"case {case.number} was urged by {person_id} at {last.isoformat()}",
        number=case.number,
        hours=int(URGE_INTERVAL.total_seconds() // 3600),
        minutes=max(1, -(-int(wait.total_seconds()) // 60)),
    )


def check_still_overdue(case: Case, now: datetime) -> None:
    """NotOverdue when the case is not overdue (any more)."""
    if not is_overdue(case, now):
        raise NotOverdue(
            f"case {case.number} is not overdue", number=case.number, status=case.status.value
        )
