from __future__ import annotations

import pytest

from gridbot.domain.case import CaseKind, CaseLevel
from gridbot.domain.errors import IllegalTransition, NoAssignee
from gridbot.domain.org import Category, Person, Role, RoleAssignment
from gridbot.domain.routing import (
    call_up_chain,
    escalation_target,
    route_new_case,
    whistle_target,
)

from .builders import (
    BUILDING,
    COMMUNITY,
    DISTRICT,
    FAR_GRID,
    GRID,
    NEIGHBOUR_GRID,
    STREET,
    make_case,
    person,
    tree,
)

R = Role
ENV = Category(code="env", name="环境卫生")
SECURITY = Category(
    code="security", name="治安", route_to=R.GRID_GUIDE, department="police", respond_hours=1
)
DEPARTMENTS = {20: "police", 21: "urban", 22: "police", 30: "police", 40: "police", 41: "urban"}
PEOPLE: dict[int, Person] = {pid: person(pid, DEPARTMENTS.get(pid)) for pid in range(1, 60)}


def role(person_id: int, held: Role, unit: str, on_duty: bool = True) -> RoleAssignment:
    return RoleAssignment(person_id, held, unit, on_duty)


def route(assignments: list[RoleAssignment], category: Category = ENV, **case: object) -> int:
    return route_new_case(make_case(**case), category, tree(), assignments, PEOPLE)


def test_a_case_goes_to_an_on_duty_worker_of_its_grid_lowest_id_among_equal_loads() -> None:
    team = [
        role(12, R.GRID_WORKER, GRID),
        role(11, R.GRID_WORKER, GRID),
        role(5, R.GRID_WORKER, GRID, on_duty=False),
        role(3, R.GRID_WORKER, NEIGHBOUR_GRID),
        role(2, R.GRID_LEADER, GRID),
    ]
    assert route(team) == 11


def test_without_an_on_duty_worker_the_grid_leader_takes_the_case() -> None:
    team = [role(5, R.GRID_WORKER, GRID, on_duty=False), role(2, R.GRID_LEADER, GRID)]
    assert route(team) == 2


def test_a_case_filed_on_a_building_lands_on_its_grid() -> None:
    assert route([role(11, R.GRID_WORKER, GRID)], grid_code=BUILDING) == 11


def test_nobody_on_the_grid_means_no_assignee() -> None:
    with pytest.raises(NoAssignee, match=GRID):
        route([role(11, R.GRID_WORKER, FAR_GRID), role(1, R.GRID_LEADER, COMMUNITY)])


def test_a_wish_goes_to_the_branch_secretary_else_the_grid_leader() -> None:
    team = [role(2, R.GRID_LEADER, GRID), role(11, R.GRID_WORKER, GRID)]
    assert route([*team, role(4, R.BRANCH_SECRETARY, GRID)], kind=CaseKind.WISH) == 4
    assert route(team, kind=CaseKind.WISH) == 2


def test_a_department_category_goes_to_a_guide_of_that_department_serving_the_grid() -> None:
    team = [
        role(11, R.GRID_WORKER, GRID),
        role(21, R.GRID_GUIDE, GRID),  # urban management
        role(22, R.GRID_GUIDE, COMMUNITY),  # police, serving every grid of the community
        role(30, R.GRID_GUIDE, FAR_GRID),  # police, elsewhere
    ]
    assert route(team, SECURITY) == 22


def test_one_guide_serves_many_grids() -> None:
    team = [role(30, R.GRID_GUIDE, GRID), role(30, R.GRID_GUIDE, FAR_GRID)]
    assert route(team, SECURITY) == 30
    assert route(team, SECURITY, grid_code=FAR_GRID) == 30


def test_without_a_guide_a_department_case_falls_back_to_the_grid_worker() -> None:
    team = [role(11, R.GRID_WORKER, GRID), role(21, R.GRID_GUIDE, GRID)]
    assert route(team, SECURITY) == 11


def escalate(assignments: list[RoleAssignment], **case: object) -> tuple[CaseLevel, str, int]:
    return escalation_target(make_case(**case), tree(), assignments, PEOPLE)


STREET_DISPATCHER = role(9, R.DISPATCHER, STREET)


def test_a_grid_case_escalates_to_the_community_staff_first() -> None:
    team = [role(7, R.COMMUNITY_STAFF, COMMUNITY), role(6, R.DISPATCHER, COMMUNITY)]
    assert escalate([*team, STREET_DISPATCHER]) == (CaseLevel.COMMUNITY, COMMUNITY, 7)
    assert escalate([team[1], STREET_DISPATCHER]) == (CaseLevel.COMMUNITY, COMMUNITY, 6)


def test_a_community_without_anyone_on_duty_is_skipped_on_the_way_up() -> None:
    team = [role(7, R.COMMUNITY_STAFF, COMMUNITY, on_duty=False), STREET_DISPATCHER]
    assert escalate(team) == (CaseLevel.STREET, STREET, 9)


def test_a_community_case_escalates_to_the_street_dispatcher() -> None:
    team = [role(7, R.COMMUNITY_STAFF, COMMUNITY), STREET_DISPATCHER]
    case = {"level": CaseLevel.COMMUNITY, "unit_code": COMMUNITY}
    assert escalate(team, **case) == (CaseLevel.STREET, STREET, 9)
    with pytest.raises(NoAssignee, match="no dispatcher"):
        escalate(team[:1], **case)


def test_a_street_case_does_not_escalate_but_whistles() -> None:
    with pytest.raises(IllegalTransition, match="whistle"):
        escalate([STREET_DISPATCHER], level=CaseLevel.STREET, unit_code=STREET)


def whistle(assignments: list[RoleAssignment], department: str) -> tuple[CaseLevel, str, int]:
    case = make_case(level=CaseLevel.STREET, unit_code=STREET)
    return whistle_target(case, department, tree(), assignments, PEOPLE)


def test_whistling_reaches_the_liaison_of_the_department_on_the_street() -> None:
    team = [role(41, R.DEPARTMENT_LIAISON, STREET), role(40, R.DEPARTMENT_LIAISON, STREET)]
    assert whistle(team, "police") == (CaseLevel.DEPARTMENT, STREET, 40)
    assert whistle(team, "urban") == (CaseLevel.DEPARTMENT, STREET, 41)


def test_without_a_street_liaison_the_district_liaison_reports_for_duty() -> None:
    team = [role(40, R.DEPARTMENT_LIAISON, DISTRICT), role(41, R.DEPARTMENT_LIAISON, STREET)]
    assert whistle(team, "police") == (CaseLevel.DEPARTMENT, STREET, 40)
    with pytest.raises(NoAssignee, match="no fire liaison"):
        whistle(team, "fire")


FULL_CHAIN = [
    role(2, R.GRID_LEADER, GRID),
    role(7, R.COMMUNITY_STAFF, COMMUNITY),
    role(6, R.DISPATCHER, COMMUNITY),
    STREET_DISPATCHER,
]


def test_an_overdue_grid_case_calls_up_leader_then_community_then_street() -> None:
    assert call_up_chain(make_case(), tree(), FULL_CHAIN) == [2, 7, 9]


def test_the_call_up_chain_skips_the_assignee_and_empty_levels() -> None:
    assert call_up_chain(make_case(assignee_id=2), tree(), FULL_CHAIN) == [7, 9]
    assert call_up_chain(make_case(), tree(), [FULL_CHAIN[2], STREET_DISPATCHER]) == [6, 9]


def test_an_overdue_community_or_department_case_calls_up_the_street() -> None:
    community_case = make_case(level=CaseLevel.COMMUNITY, unit_code=COMMUNITY, assignee_id=7)
    department_case = make_case(level=CaseLevel.DEPARTMENT, unit_code=STREET, assignee_id=40)
    assert call_up_chain(community_case, tree(), FULL_CHAIN) == [9]
    assert call_up_chain(department_case, tree(), FULL_CHAIN) == [9]
    street_case = make_case(level=CaseLevel.STREET, unit_code=STREET, assignee_id=9)
    assert call_up_chain(street_case, tree(), FULL_CHAIN) == []


def test_the_grids_branch_secretary_is_called_up_after_the_grid_leader() -> None:
    secretary = role(5, R.BRANCH_SECRETARY, GRID)
    assert call_up_chain(make_case(), tree(), [*FULL_CHAIN, secretary]) == [2, 5, 7, 9]


def test_without_one_on_the_grid_the_communitys_secretary_is_called_up() -> None:
    community_secretary = role(8, R.BRANCH_SECRETARY, COMMUNITY)
    chain = [*FULL_CHAIN, community_secretary]
    assert call_up_chain(make_case(), tree(), chain) == [2, 8, 7, 9]
    # Above grid level the secretary has no step: the case left the grid.
    community_case = make_case(level=CaseLevel.COMMUNITY, unit_code=COMMUNITY, assignee_id=7)
    assert call_up_chain(community_case, tree(), chain) == [9]


def test_a_secretary_who_is_also_the_leader_is_called_up_once() -> None:
    both = [role(2, R.BRANCH_SECRETARY, GRID), *FULL_CHAIN]
    assert call_up_chain(make_case(), tree(), both) == [2, 7, 9]
