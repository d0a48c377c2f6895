from __future__ import annotations

import copy
from datetime import timedelta
from itertools import product

import pytest

from gridbot.domain.case import Case, CaseEvent, CaseKind, CaseLevel, CaseStatus
from gridbot.domain.errors import IllegalTransition, ValidationFailed
from gridbot.domain.lifecycle import (
    AWAITING_RATING,
    ISSUE_TRANSITIONS,
    RATINGS,
    TERMINAL_STATUSES,
    WISH_TRANSITIONS,
    CaseAction,
    allowed_actions,
    apply,
    is_open,
    next_status,
    rating_action,
)

from .builders import ASSIGNEE, COMMUNITY, NEIGHBOUR_GRID, STREET, T0, make_case, make_wish

S = CaseStatus
A = CaseAction
LATER = T0 + timedelta(hours=1)
# The level at which each action is possible; everything else happens at grid level.
LEVEL_FOR = {A.WHISTLE: CaseLevel.STREET, A.REPORT_FOR_DUTY: CaseLevel.DEPARTMENT}
KINDS = {
    CaseKind.ISSUE: ISSUE_TRANSITIONS,
    CaseKind.HAZARD: ISSUE_TRANSITIONS,
    CaseKind.WISH: WISH_TRANSITIONS,
}
ALL_PAIRS = [
    (kind, status, action) for kind in KINDS for status, action in product(CaseStatus, CaseAction)
]


def case_for(kind: CaseKind, status: CaseStatus, action: CaseAction) -> Case:
    return make_case(kind=kind, status=status, level=LEVEL_FOR.get(action, CaseLevel.GRID))


def act(
    case: Case,
    action: CaseAction,
    *,
    note: str = "duplicate of 2026-000007",
    assignee_id: int | None = 42,
    unit_code: str | None = None,
    department: str | None = "police",
) -> CaseEvent:
    return apply(
        case,
        action,
        actor_id=7,
        now=LATER,
        note=note,
        attachments=["photo-1"],
        assignee_id=assignee_id,
        unit_code=unit_code,
        department=department,
    )


def pair_id(pair: tuple[CaseKind, CaseStatus, CaseAction]) -> str:
    return "-".join(pair)


@pytest.mark.parametrize("pair", ALL_PAIRS, ids=pair_id)
def test_every_pair_in_the_table_reaches_its_target_and_every_other_pair_is_refused(
    pair: tuple[CaseKind, CaseStatus, CaseAction],
) -> None:
    kind, status, action = pair
    case = case_for(kind, status, action)
    target = KINDS[kind].get((status, action))
    if target is None:
        before = copy.deepcopy(case)
        with pytest.raises(IllegalTransition) as refused:
            act(case, action)
        assert status.value in str(refused.value) and action.value in str(refused.value)
        assert case == before
    else:
        event = act(case, action)
        assert case.status == target
        assert case.updated_at == LATER
        assert event.from_status == status and event.to_status == target
        assert event.action == action.value and event.actor_id == 7
        assert event.attachments == ("photo-1",)


@pytest.mark.parametrize("kind", list(CaseKind))
def test_terminal_statuses_have_no_way_out_but_a_follow_up(kind: CaseKind) -> None:
    leaving_terminal = {pair for pair in KINDS[kind] if pair[0] in TERMINAL_STATUSES}
    follow_ups = {(S.CLOSED, A.FOLLOW_UP_OK), (S.CLOSED, A.FOLLOW_UP_RECURRED)}
    assert leaving_terminal <= follow_ups


def test_next_status_names_the_status_and_the_action_when_refusing() -> None:
    assert next_status(CaseKind.ISSUE, S.ASSIGNED, A.ACCEPT) == S.IN_PROGRESS
    with pytest.raises(IllegalTransition, match="cannot resolve an issue that is submitted"):
        next_status(CaseKind.ISSUE, S.SUBMITTED, A.RESOLVE)


def test_accepting_records_the_first_response_time_only() -> None:
    case = make_case(status=S.ASSIGNED)
    act(case, A.ACCEPT)
    assert case.accepted_at == LATER
    act(case, A.ESCALATE, unit_code=COMMUNITY)
    apply(case, A.ACCEPT, actor_id=8, now=LATER + timedelta(hours=5))
    assert case.accepted_at == LATER


def test_resolving_records_the_time_and_a_rating_closes_the_case() -> None:
    case = make_case(status=S.IN_PROGRESS)
    act(case, A.RESOLVE)
    assert case.resolved_at == LATER and is_open(case)
    apply(case, A.RATE_SATISFIED, actor_id=98, now=LATER + timedelta(days=1))
    assert case.status == S.CLOSED and case.closed_at == LATER + timedelta(days=1)
    assert not is_open(case)


def test_unsatisfied_rating_reopens_the_case() -> None:
    case = make_case(status=S.RESOLVED, resolved_at=T0)
    act(case, A.RATE_UNSATISFIED)
    assert case.status == S.IN_PROGRESS
    assert case.reopen_count == 1 and case.resolved_at is None
    assert case.assignee_id == ASSIGNEE


def test_a_failed_follow_up_reopens_a_closed_case() -> None:
    case = make_case(status=S.CLOSED, resolved_at=T0, closed_at=T0, reopen_count=1)
    act(case, A.FOLLOW_UP_RECURRED)
    assert case.status == S.IN_PROGRESS and is_open(case)
    assert case.reopen_count == 2 and case.closed_at is None


def test_a_good_follow_up_leaves_a_closed_case_as_it_was_closed() -> None:
    case = make_case(status=S.CLOSED, closed_at=T0)
    act(case, A.FOLLOW_UP_OK)
    assert case.status == S.CLOSED and case.closed_at == T0


def test_no_rating_in_time_closes_the_case_automatically() -> None:
    case = make_case(status=S.RESOLVED)
    event = apply(case, A.CLOSE, actor_id=None, now=LATER)
    assert case.status == S.CLOSED and case.closed_at == LATER and event.actor_id is None


def test_escalation_moves_the_case_one_level_up_to_the_new_assignee() -> None:
    case = make_case(status=S.IN_PROGRESS)
    event = act(case, A.ESCALATE, unit_code=COMMUNITY, assignee_id=50)
    assert (case.level, case.unit_code, case.assignee_id) == (CaseLevel.COMMUNITY, COMMUNITY, 50)
    assert event.level == CaseLevel.COMMUNITY and event.assignee_id == 50
    act(case, A.ESCALATE, unit_code=STREET, assignee_id=60)
    assert case.level == CaseLevel.STREET and case.status == S.ESCALATED


def test_a_street_case_cannot_escalate_and_must_whistle_instead() -> None:
    case = make_case(status=S.ESCALATED, level=CaseLevel.STREET, unit_code=STREET)
    before = copy.deepcopy(case)
    with pytest.raises(IllegalTransition, match="at street level"):
        act(case, A.ESCALATE)
    assert case == before
    act(case, A.WHISTLE, assignee_id=70, department="urban_management")
    assert case.level == CaseLevel.DEPARTMENT and case.department == "urban_management"
    assert case.unit_code == STREET and case.assignee_id == 70


def test_only_a_street_case_can_be_whistled_and_only_a_department_reports_for_duty() -> None:
    grid_case = make_case(status=S.IN_PROGRESS)
    with pytest.raises(IllegalTransition):
        act(grid_case, A.WHISTLE)
    street_case = make_case(status=S.ESCALATED, level=CaseLevel.STREET)
    with pytest.raises(IllegalTransition):
        act(street_case, A.REPORT_FOR_DUTY)


def test_the_liaison_who_reports_for_duty_takes_the_case() -> None:
    case = make_case(status=S.ESCALATED, level=CaseLevel.DEPARTMENT, assignee_id=70)
    apply(case, A.REPORT_FOR_DUTY, actor_id=71, now=LATER)
    assert case.status == S.IN_PROGRESS and case.assignee_id == 71 and case.accepted_at == LATER


def test_transfer_to_another_grid_moves_the_case_to_that_grid() -> None:
    case = make_case(status=S.ASSIGNED)
    act(case, A.TRANSFER, unit_code=NEIGHBOUR_GRID, assignee_id=12)
    assert case.status == S.TRANSFERRED
    assert (case.grid_code, case.unit_code, case.assignee_id) == (
        NEIGHBOUR_GRID,
        NEIGHBOUR_GRID,
        12,
    )


@pytest.mark.parametrize("action", [A.ASSIGN, A.ESCALATE, A.TRANSFER])
def test_handing_over_without_a_new_assignee_is_refused(action: CaseAction) -> None:
    case = make_case(status=S.SUBMITTED if action == A.ASSIGN else S.IN_PROGRESS)
    before = copy.deepcopy(case)
    with pytest.raises(ValidationFailed, match="needs the new assignee"):
        act(case, action, assignee_id=None)
    assert case == before


@pytest.mark.parametrize("kind", [CaseKind.ISSUE, CaseKind.WISH])
def test_a_rejection_without_a_reason_is_refused(kind: CaseKind) -> None:
    case = make_case(kind=kind, status=S.SUBMITTED)
    with pytest.raises(ValidationFailed, match="needs a reason"):
        act(case, A.REJECT, note="  ")
    assert case.status == S.SUBMITTED


def test_urging_and_adding_info_keep_the_status() -> None:
    case = make_case(status=S.IN_PROGRESS)
    assert act(case, A.URGE).to_status == S.IN_PROGRESS
    assert act(case, A.ADD_INFO).to_status == S.IN_PROGRESS
    assert case.reopen_count == 0


def test_an_unsaved_case_cannot_change_status() -> None:
    with pytest.raises(ValidationFailed, match="saved"):
        act(make_case(id=None), A.ACCEPT)


def test_a_claim_belongs_to_the_claimant_until_it_expires() -> None:
    wish = make_wish(status=S.APPROVED)
    apply(wish, A.CLAIM, actor_id=30, now=LATER)
    assert (wish.status, wish.claimant_id) == (S.CLAIMED, 30)
    wish.claim_expires_at = LATER + timedelta(days=7)
    apply(wish, A.EXPIRE_CLAIM, actor_id=None, now=LATER + timedelta(days=7))
    assert (wish.status, wish.claimant_id) == (S.APPROVED, None)
    assert wish.claim_expires_at is None


def test_a_wish_is_fulfilled_then_confirmed_by_the_resident() -> None:
    wish = make_wish(status=S.CLAIMED, claimant_id=30)
    apply(wish, A.FULFIL, actor_id=30, now=LATER)
    assert (wish.status, wish.resolved_at) == (S.FULFILLED, LATER) and is_open(wish)
    apply(wish, A.CONFIRM, actor_id=98, now=LATER + timedelta(hours=2))
    assert wish.status == S.CONFIRMED
    assert not is_open(wish)
    assert wish.closed_at == LATER + timedelta(hours=2)


def test_a_fulfilled_wish_is_rated_by_its_poster() -> None:
    satisfied = make_wish(status=S.FULFILLED, claimant_id=30)
    apply(satisfied, A.RATE_BASIC, actor_id=98, now=LATER)
    assert (satisfied.status, satisfied.closed_at) == (S.CONFIRMED, LATER)
    unsatisfied = make_wish(status=S.FULFILLED, claimant_id=30, resolved_at=T0)
    apply(unsatisfied, A.RATE_UNSATISFIED, actor_id=98, now=LATER, note="还没送到")
    # Back to the one who claimed it, counted as a reopen.
    assert (unsatisfied.status, unsatisfied.claimant_id) == (S.CLAIMED, 30)
    assert (unsatisfied.reopen_count, unsatisfied.resolved_at) == (1, None)
    unrated = make_wish(status=S.FULFILLED, claimant_id=30)
    apply(unrated, A.CLOSE, actor_id=None, now=LATER)
    assert unrated.status == S.CLOSED and not is_open(unrated)


def test_a_rating_is_the_action_of_its_value_and_back() -> None:
    for action, value in RATINGS.items():
        assert rating_action(value) == action
    assert {S.RESOLVED, S.FULFILLED} == AWAITING_RATING


def test_allowed_actions_follow_the_table_and_the_level() -> None:
    grid_case = make_case(status=S.IN_PROGRESS)
    assert A.WHISTLE not in allowed_actions(grid_case)
    assert {A.PROGRESS, A.RESOLVE, A.ESCALATE, A.TRANSFER} <= set(allowed_actions(grid_case))
    street_case = make_case(status=S.IN_PROGRESS, level=CaseLevel.STREET)
    assert A.WHISTLE in allowed_actions(street_case)
    assert A.ESCALATE not in allowed_actions(street_case)
    assert allowed_actions(make_wish(status=S.APPROVED)) == [A.CANCEL, A.CLAIM]
