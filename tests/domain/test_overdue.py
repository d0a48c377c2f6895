"""超时 and 督办 on plain objects: the deadline that matters at each stage, how late, and
one urge per person and case in two hours."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridbot.domain.case import CaseEvent, CaseStatus
from gridbot.domain.errors import NotOverdue, UrgedRecently
from gridbot.domain.overdue import (
    URGE_INTERVAL,
    check_still_overdue,
    check_urge_interval,
    current_deadline,
    is_overdue,
    last_urge,
    lateness,
)

from .builders import T0, make_case, make_wish

S = CaseStatus
RESPOND, RESOLVE = T0 + timedelta(hours=2), T0 + timedelta(days=2)
BOSS = 7


def urge(at_minutes: int, by: int = BOSS, action: str = "urge") -> CaseEvent:
    return CaseEvent(1, action, by, T0 + timedelta(minutes=at_minutes), S.ASSIGNED, S.ASSIGNED)


@pytest.mark.parametrize(
    ("status", "deadline"),
    [
        (S.SUBMITTED, RESPOND),
        (S.ASSIGNED, RESPOND),
        (S.ESCALATED, RESPOND),
        (S.TRANSFERRED, RESPOND),
        (S.IN_PROGRESS, RESOLVE),
        (S.RESOLVED, None),
        (S.CLOSED, None),
        (S.REJECTED, None),
        (S.CANCELLED, None),
    ],
)
def test_the_deadline_that_matters_follows_the_stage(status: S, deadline: object) -> None:
    case = make_case(status=status, respond_by=RESPOND, resolve_by=RESOLVE)
    assert current_deadline(case) == deadline


def test_a_wish_has_no_deadline_to_miss() -> None:
    assert current_deadline(make_wish(status=S.SUBMITTED, respond_by=RESPOND)) is None


def test_lateness_counts_from_the_deadline_and_only_once_it_has_passed() -> None:
    case = make_case(status=S.ASSIGNED, respond_by=RESPOND, resolve_by=RESOLVE)

    assert lateness(case, RESPOND) is None and not is_overdue(case, RESPOND)
    assert lateness(case, RESPOND + timedelta(minutes=5)) == timedelta(minutes=5)
    case.status = S.IN_PROGRESS  # accepted late: now the resolution deadline counts
    assert lateness(case, RESPOND + timedelta(hours=1)) is None
    assert lateness(case, RESOLVE + timedelta(days=1, hours=3)) == timedelta(days=1, hours=3)
    assert lateness(make_case(status=S.ASSIGNED, respond_by=None), RESOLVE) is None


def test_a_case_no_longer_overdue_is_refused_with_its_number() -> None:
    case = make_case(status=S.RESOLVED, respond_by=RESPOND, resolve_by=RESOLVE)
    with pytest.raises(NotOverdue) as refused:
        check_still_overdue(case, RESOLVE + timedelta(days=1))
    assert refused.value.details["number"] == case.number
    check_still_overdue(make_case(respond_by=RESPOND), RESPOND + timedelta(seconds=1))


def test_one_person_urges_one_case_once_in_two_hours() -> None:
    case = make_case()
    events = [urge(0), urge(30, by=8), urge(40, action="remind")]
    assert last_urge(events, BOSS) == T0 and last_urge(events, 9) is None

    with pytest.raises(UrgedRecently) as refused:
        check_urge_interval(case, events, BOSS, T0 + timedelta(minutes=100))
    assert refused.value.details == {"number": case.number, "hours": 2, "minutes": 20}
    with pytest.raises(UrgedRecently) as soon:
        check_urge_interval(case, events, BOSS, T0 + URGE_INTERVAL - timedelta(seconds=5))
    assert soon.value.details["minutes"] == 1  # never "in 0 minutes"

    check_urge_interval(case, events, BOSS, T0 + URGE_INTERVAL)
    check_urge_interval(case, events, 9, T0 + timedelta(minutes=1))  # someone else
    check_urge_interval(case, [], BOSS, T0)
