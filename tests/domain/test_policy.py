from __future__ import annotations

import pytest

from gridbot.domain.case import CaseLevel
from gridbot.domain.errors import PermissionDenied
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.org import Role, Staff
from gridbot.domain.policy import Action, action_for, may, may_view_care_person, require

from .builders import (
    BUILDING,
    COMMUNITY,
    FAR_GRID,
    GRID,
    NEIGHBOUR_GRID,
    OTHER_COMMUNITY,
    REPORTER,
    STREET,
    care_person,
    make_case,
    make_wish,
    staff,
    tree,
)

R = Role
CLAIMANT = 97
CARE_WORKER = 96

# Each role is held on its natural unit; guides and liaisons are police.
PLACES: dict[Role, str] = {
    R.RESIDENT: BUILDING,
    R.GRID_WORKER: GRID,
    R.GRID_LEADER: GRID,
    R.BRANCH_SECRETARY: GRID,
    R.GRID_GUIDE: COMMUNITY,
    R.SERVICE_SPECIALIST: GRID,
    R.BUILDING_LEADER: BUILDING,
    R.PARTY_MEMBER: GRID,
    R.COMMUNITY_STAFF: COMMUNITY,
    R.DISPATCHER: STREET,
    R.DEPARTMENT_LIAISON: STREET,
    R.SUPERVISOR: COMMUNITY,
    R.ADMIN: STREET,
}
# A unit that does not cover the case: a far grid, or the other community.
ELSEWHERE = {
    role: FAR_GRID if place in (GRID, BUILDING) else OTHER_COMMUNITY
    for role, place in PLACES.items()
}

# Who may do what to a case in GRID that someone else (98) reported and someone else (99)
# is assigned to. Whistling is asked about a street-level case, reporting for duty about a
# case whistled to the police, the wish actions about an approved wish claimed by 97, the
# unit actions about GRID, and viewing a care person about one looked after by worker 96.
MATRIX = """
action                res wrk ldr sec gd  svc bld pty com dsp lia sup adm
submit                 Y   Y   Y   Y   Y   Y   Y   Y   Y   Y   Y   Y   Y
assign                 .   .   Y   Y   .   .   .   .   .   .   .   .   .
reassign               .   .   Y   Y   .   .   .   .   .   .   .   .   .
accept                 .   .   Y   Y   Y   .   .   .   .   .   .   .   .
progress               .   .   Y   Y   Y   .   .   .   .   .   .   .   .
resolve                .   .   Y   Y   Y   .   .   .   .   .   .   .   .
escalate               .   .   Y   Y   Y   .   .   .   .   .   .   .   .
transfer               .   .   Y   Y   Y   .   .   .   .   .   .   .   .
reject                 .   .   Y   Y   Y   .   .   .   .   .   .   .   .
follow_up_ok           .   .   Y   Y   Y   .   .   .   .   .   .   .   .
follow_up_recurred     .   .   Y   Y   Y   .   .   .   .   .   .   .   .
whistle                .   .   .   .   .   .   .   .   .   Y   .   .   .
report_for_duty        .   .   .   .   .   .   .   .   .   .   Y   .   .
cancel                 .   .   .   .   .   .   .   .   .   .   .   .   .
add_info               .   .   .   .   .   .   .   .   .   .   .   .   .
rate_satisfied         .   .   .   .   .   .   .   .   .   .   .   .   .
rate_basic             .   .   .   .   .   .   .   .   .   .   .   .   .
rate_unsatisfied       .   .   .   .   .   .   .   .   .   .   .   .   .
close                  .   .   .   .   .   .   .   .   .   .   .   .   .
urge                   .   .   Y   Y   .   .   .   .   .   .   .   Y   .
approve                .   .   Y   Y   .   .   .   .   .   .   .   .   .
claim                  .   .   .   .   .   Y   Y   Y   .   .   .   .   .
release                .   .   .   .   .   .   .   .   .   .   .   .   .
expire_claim           .   .   .   .   .   .   .   .   .   .   .   .   .
fulfil                 .   .   .   .   .   .   .   .   .   .   .   .   .
confirm                .   .   .   .   .   .   .   .   .   .   .   .   .
view_case              .   .   Y   Y   Y   .   .   .   .   .   .   Y   .
view_reporter_contact  .   .   Y   Y   Y   .   .   .   .   .   .   .   .
view_stats             .   .   .   .   .   .   .   .   .   .   .   Y   .
view_grid_card         .   .   Y   Y   .   .   .   .   .   .   .   Y   .
publish_digest         .   .   .   .   .   .   .   .   .   .   .   Y   .
view_overdue           .   .   Y   Y   .   .   .   .   .   .   .   Y   .
export                 .   .   .   .   .   .   .   .   .   .   .   Y   .
bind_group             .   Y   Y   Y   .   .   .   .   Y   .   .   .   Y
invite_staff           .   .   .   .   .   .   .   .   .   .   .   .   Y
view_team              .   .   Y   Y   .   .   .   .   .   .   .   Y   .
view_team_phones       .   .   Y   Y   .   .   .   .   .   .   .   .   .
manage_org             .   .   .   .   .   .   .   .   .   .   .   .   Y
view_care_person       .   .   Y   .   .   .   .   .   .   .   .   Y   .
manage_care            .   .   Y   .   .   .   .   .   .   .   .   .   .
visit_care_person      .   .   Y   .   .   .   .   .   .   .   .   .   .
"""
COLUMNS = list(Role)


def parse_matrix() -> dict[tuple[Role, Action], bool]:
    header, *rows = MATRIX.strip().splitlines()
    assert len(header.split()) == len(COLUMNS) + 1
    expected: dict[tuple[Role, Action], bool] = {}
    for row in rows:
        name, *marks = row.split()
        assert len(marks) == len(COLUMNS), name
        for role, mark in zip(COLUMNS, marks, strict=True):
            expected[(role, Action(name))] = mark == "Y"
    return expected


EXPECTED = parse_matrix()
WISH_ACTIONS = {Action.APPROVE, Action.CLAIM, Action.RELEASE, Action.EXPIRE_CLAIM}
WISH_ACTIONS |= {Action.FULFIL, Action.CONFIRM}
UNIT_ACTIONS = {Action.VIEW_STATS, Action.EXPORT, Action.BIND_GROUP, Action.INVITE_STAFF}
UNIT_ACTIONS |= {Action.MANAGE_ORG, Action.VIEW_OVERDUE}
UNIT_ACTIONS |= {Action.VIEW_TEAM, Action.VIEW_TEAM_PHONES}
UNIT_ACTIONS |= {Action.PUBLISH_DIGEST}
UNIT_ACTIONS |= {Action.VIEW_GRID_CARD}


def holder(role: Role, unit: str) -> Staff:
    department = "police" if role in (R.GRID_GUIDE, R.DEPARTMENT_LIAISON) else None
    return staff(10 + COLUMNS.index(role), (role, unit), department=department)


def ask(who: Staff, action: Action) -> bool:
    """Ask about the context the matrix describes for ``action``."""
    if action in UNIT_ACTIONS:
        return may(who, action, tree=tree(), unit_code=GRID)
    if action in (Action.VIEW_CARE_PERSON, Action.MANAGE_CARE, Action.VISIT_CARE_PERSON):
        return may(who, action, tree=tree(), care_person=care_person(CARE_WORKER))
    case = make_case()
    if action in WISH_ACTIONS:
        case = make_wish(claimant_id=CLAIMANT)
    elif action == Action.WHISTLE:
        case = make_case(level=CaseLevel.STREET, unit_code=STREET)
    elif action == Action.REPORT_FOR_DUTY:
        case = make_case(level=CaseLevel.DEPARTMENT, unit_code=STREET)
    return may(who, action, tree=tree(), case=case)


def test_the_matrix_covers_every_role_and_every_action() -> None:
    assert {action for _, action in EXPECTED} == set(Action)


@pytest.mark.parametrize(("role", "action"), list(EXPECTED), ids=lambda v: str(v))
def test_each_role_may_do_exactly_what_the_matrix_says(role: Role, action: Action) -> None:
    assert ask(holder(role, PLACES[role]), action) is EXPECTED[(role, action)]


@pytest.mark.parametrize(("role", "action"), list(EXPECTED), ids=lambda v: str(v))
def test_a_role_held_on_a_different_unit_grants_nothing_here(role: Role, action: Action) -> None:
    assert ask(holder(role, ELSEWHERE[role]), action) is False


@pytest.mark.parametrize(
    "action",
    [
        Action.CANCEL,
        Action.ADD_INFO,
        Action.RATE_SATISFIED,
        Action.RATE_BASIC,
        Action.RATE_UNSATISFIED,
        Action.VIEW_CASE,
        Action.VIEW_REPORTER_CONTACT,
    ],
)
def test_the_reporter_acts_on_their_own_case(action: Action) -> None:
    reporter = staff(REPORTER, (R.RESIDENT, BUILDING))
    assert may(reporter, action, tree=tree(), case=make_case())
    assert may(reporter, Action.CONFIRM, tree=tree(), case=make_wish())


def test_residents_never_see_the_contact_of_someone_elses_case() -> None:
    neighbour = staff(50, (R.RESIDENT, BUILDING))
    public_case = make_case(public=True)
    assert may(neighbour, Action.VIEW_CASE, tree=tree(), case=public_case)
    assert not may(neighbour, Action.VIEW_REPORTER_CONTACT, tree=tree(), case=public_case)
    assert not may(neighbour, Action.VIEW_CASE, tree=tree(), case=make_case(public=False))


@pytest.mark.parametrize(
    "action",
    [
        Action.ACCEPT,
        Action.PROGRESS,
        Action.RESOLVE,
        Action.ESCALATE,
        Action.TRANSFER,
        Action.REJECT,
        Action.VIEW_REPORTER_CONTACT,
    ],
)
def test_the_assignee_handles_their_case_wherever_it_is(action: Action) -> None:
    worker = staff(99, (R.GRID_WORKER, FAR_GRID))
    assert may(worker, action, tree=tree(), case=make_case(assignee_id=99))
    assert not may(worker, action, tree=tree(), case=make_case(assignee_id=12))


def test_the_claimant_releases_and_fulfils_their_own_claim_only() -> None:
    member = staff(CLAIMANT, (R.PARTY_MEMBER, GRID))
    mine, theirs = make_wish(claimant_id=CLAIMANT), make_wish(claimant_id=12)
    for action in (Action.RELEASE, Action.FULFIL, Action.VIEW_REPORTER_CONTACT):
        assert may(member, action, tree=tree(), case=mine)
        assert not may(member, action, tree=tree(), case=theirs)


def test_nobody_claims_their_own_wish() -> None:
    member = staff(REPORTER, (R.PARTY_MEMBER, GRID))
    assert not may(member, Action.CLAIM_WISH, tree=tree(), case=make_wish())


def test_wishes_are_rejected_by_the_grid_leaders_not_by_guides() -> None:
    wish = make_wish(department="police")
    assert may(holder(R.BRANCH_SECRETARY, GRID), Action.REJECT, tree=tree(), case=wish)
    assert not may(holder(R.GRID_GUIDE, COMMUNITY), Action.REJECT, tree=tree(), case=wish)


def test_a_case_escalated_to_the_community_is_handled_there_not_in_the_grid() -> None:
    case = make_case(level=CaseLevel.COMMUNITY, unit_code=COMMUNITY)
    for role, unit in [(R.COMMUNITY_STAFF, COMMUNITY), (R.DISPATCHER, STREET)]:
        assert may(holder(role, unit), Action.RESOLVE, tree=tree(), case=case)
        assert may(holder(role, unit), Action.REASSIGN, tree=tree(), case=case)
    assert not may(holder(R.GRID_LEADER, GRID), Action.RESOLVE, tree=tree(), case=case)
    assert not may(holder(R.GRID_GUIDE, COMMUNITY), Action.RESOLVE, tree=tree(), case=case)


def test_a_street_case_is_handled_by_the_street_dispatcher_only() -> None:
    case = make_case(level=CaseLevel.STREET, unit_code=STREET)
    assert may(holder(R.DISPATCHER, STREET), Action.ACCEPT, tree=tree(), case=case)
    assert not may(holder(R.COMMUNITY_STAFF, COMMUNITY), Action.ACCEPT, tree=tree(), case=case)
    assert not may(holder(R.DISPATCHER, COMMUNITY), Action.WHISTLE, tree=tree(), case=case)


def test_a_department_acts_only_on_cases_whistled_to_it() -> None:
    case = make_case(level=CaseLevel.DEPARTMENT, unit_code=STREET, department="urban")
    police = holder(R.DEPARTMENT_LIAISON, STREET)
    urban = staff(60, (R.DEPARTMENT_LIAISON, STREET), department="urban")
    assert not may(police, Action.REPORT_FOR_DUTY, tree=tree(), case=case)
    assert may(urban, Action.REPORT_FOR_DUTY, tree=tree(), case=case)
    assert may(urban, Action.RESOLVE, tree=tree(), case=case)


def test_a_guide_serves_many_grids_but_only_for_their_department() -> None:
    guide = staff(20, (R.GRID_GUIDE, GRID), (R.GRID_GUIDE, FAR_GRID), department="police")
    assert may(guide, Action.ACCEPT, tree=tree(), case=make_case(grid_code=FAR_GRID))
    assert may(guide, Action.ACCEPT, tree=tree(), case=make_case())
    assert not may(guide, Action.ACCEPT, tree=tree(), case=make_case(department="urban"))


def test_supervisors_watch_their_subtree_but_do_not_handle_cases() -> None:
    boss = holder(R.SUPERVISOR, STREET)
    case = make_case(grid_code=FAR_GRID, unit_code=FAR_GRID)
    assert may(boss, Action.VIEW_STATS, tree=tree(), unit_code=COMMUNITY)
    assert may(boss, Action.URGE, tree=tree(), case=case)
    assert not may(boss, Action.RESOLVE, tree=tree(), case=case)
    assert not may(boss, Action.VIEW_REPORTER_CONTACT, tree=tree(), case=case)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (staff(CARE_WORKER, (R.GRID_WORKER, GRID)), True),
        (staff(40, (R.GRID_WORKER, GRID)), False),
        (staff(41, (R.GRID_LEADER, GRID)), True),
        (staff(42, (R.GRID_LEADER, FAR_GRID)), False),
        (staff(43, (R.BRANCH_SECRETARY, GRID)), False),
        (staff(44, (R.SUPERVISOR, COMMUNITY)), True),
        (staff(45, (R.SUPERVISOR, OTHER_COMMUNITY)), False),
        (staff(46, (R.ADMIN, STREET)), False),
    ],
)
def test_care_persons_are_seen_by_their_worker_the_grid_leader_and_supervisors(
    who: Staff, allowed: bool
) -> None:
    assert may_view_care_person(who, care_person(CARE_WORKER), tree()) is allowed


def test_require_raises_permission_denied_naming_the_action() -> None:
    resident = staff(50, (R.RESIDENT, BUILDING))
    require(resident, Action.SUBMIT, tree=tree(), unit_code=GRID)
    with pytest.raises(PermissionDenied, match="may not resolve") as denied:
        require(resident, Action.RESOLVE, tree=tree(), case=make_case())
    assert denied.value.details["case"] == "2026-000001"


def test_an_action_without_a_case_or_unit_is_denied() -> None:
    assert not may(holder(R.ADMIN, STREET), Action.MANAGE_ORG, tree=tree())
    assert not may(holder(R.GRID_LEADER, GRID), Action.ACCEPT, tree=tree())


@pytest.mark.parametrize("case_action", list(CaseAction))
def test_every_case_action_has_a_permission_of_the_same_name(case_action: CaseAction) -> None:
    assert action_for(case_action).value == case_action.value


def test_menu_names_are_aliases_of_the_case_actions() -> None:
    assert Action["APPROVE_WISH"] is Action.APPROVE
    assert Action["CLAIM_WISH"] is Action.CLAIM


@pytest.mark.parametrize(
    ("who", "unit", "allowed"),
    [
        (holder(R.GRID_WORKER, GRID), BUILDING, True),
        (holder(R.GRID_WORKER, NEIGHBOUR_GRID), GRID, False),
        (holder(R.BUILDING_LEADER, BUILDING), BUILDING, True),
        (holder(R.BUILDING_LEADER, BUILDING), GRID, False),
        (holder(R.COMMUNITY_STAFF, COMMUNITY), NEIGHBOUR_GRID, True),
        (holder(R.COMMUNITY_STAFF, OTHER_COMMUNITY), GRID, False),
        (holder(R.ADMIN, STREET), FAR_GRID, True),
        (holder(R.RESIDENT, BUILDING), BUILDING, False),
        (holder(R.SUPERVISOR, STREET), GRID, False),
    ],
)
def test_groups_are_bound_by_the_team_of_the_unit_and_by_admins(
    who: Staff, unit: str, allowed: bool
) -> None:
    assert may(who, Action.BIND_GROUP, tree=tree(), unit_code=unit) is allowed
