"""A new case goes to someone who can act on it: reachable by the bot, least loaded."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pytest

from gridbot.domain.case import CaseKind
from gridbot.domain.errors import NoAssignee, NobodyReachable
from gridbot.domain.org import Category, Person, Role, RoleAssignment
from gridbot.domain.routing import can_be_reached, least_loaded, route_new_case

from .builders import GRID, NEIGHBOUR_GRID, STREET, make_case, person, tree

R = Role
ENV = Category(code="env", name="环境卫生")
SECURITY = Category(code="security", name="治安", route_to=R.GRID_GUIDE, department="police")
PEOPLE: dict[int, Person] = {pid: person(pid, "police" if pid >= 20 else None) for pid in range(60)}


def role(person_id: int, held: Role, unit: str = GRID) -> RoleAssignment:
    return RoleAssignment(person_id, held, unit)


def route(
    team: list[RoleAssignment],
    reachable: Collection[int] | None,
    loads: Mapping[int, int] | None = None,
    category: Category = ENV,
    **case: object,
) -> int:
    return route_new_case(make_case(**case), category, tree(), team, PEOPLE, reachable, loads)


WORKERS = [role(11, R.GRID_WORKER), role(12, R.GRID_WORKER), role(13, R.GRID_WORKER)]


def test_reachable_means_an_account_the_bot_was_never_refused_at() -> None:
    assert can_be_reached(Person("new worker", telegram_id=5))  # never written to: yes
    assert not can_be_reached(Person("blocked", telegram_id=6, blocked_bot=True))
    assert not can_be_reached(Person("not joined"))
    assert not can_be_reached(None)


def test_the_reachable_worker_with_the_fewest_open_cases_gets_the_case() -> None:
    assert route(WORKERS, {11, 12, 13}, {11: 4, 12: 1, 13: 2}) == 12


def test_equal_loads_go_to_the_lowest_id_and_no_load_counts_as_none() -> None:
    assert route(WORKERS, {11, 12, 13}, {11: 1, 12: 1}) == 13
    assert route(WORKERS, {11, 12, 13}, {}) == 11


def test_a_worker_who_cannot_be_reached_is_passed_over_however_idle() -> None:
    assert route(WORKERS, {12, 13}, {11: 0, 12: 5, 13: 3}) == 13


def test_nobody_reachable_on_the_grid_sends_the_case_up_rather_than_to_the_leader() -> None:
    team = [*WORKERS, role(2, R.GRID_LEADER)]
    with pytest.raises(NobodyReachable) as raised:
        route(team, {2}, {})
    assert raised.value.details["unit"] == GRID
    assert raised.value.details["people"] == [11, 12, 13]


def test_without_workers_on_duty_a_reachable_leader_takes_it_else_it_goes_up() -> None:
    leaders = [role(2, R.GRID_LEADER), role(3, R.GRID_LEADER)]
    assert route(leaders, {2, 3}, {2: 3, 3: 1}) == 3
    with pytest.raises(NobodyReachable):
        route(leaders, set())


def test_nobody_on_duty_at_all_is_no_assignee_not_unreachable() -> None:
    with pytest.raises(NoAssignee) as raised:
        route([role(11, R.GRID_WORKER, NEIGHBOUR_GRID)], set())
    assert not isinstance(raised.value, NobodyReachable)


def test_guides_serving_several_grids_are_balanced_by_their_load_everywhere() -> None:
    team = [
        role(20, R.GRID_GUIDE, GRID),
        role(21, R.GRID_GUIDE, STREET),  # 一员多格: serves every grid of the street
        *WORKERS,
    ]
    assert route(team, {11, 20, 21}, {20: 7, 21: 2}, SECURITY) == 21


def test_a_guide_who_never_started_the_bot_leaves_the_case_to_the_grid_workers() -> None:
    team = [role(20, R.GRID_GUIDE), *WORKERS]
    assert route(team, {12}, {}, SECURITY) == 12


def test_without_facts_everyone_counts_as_reachable() -> None:
    assert route(WORKERS, None, {11: 2}) == 12


def test_a_wish_prefers_a_reachable_secretary_and_else_still_stays_on_its_grid() -> None:
    team = [role(7, R.BRANCH_SECRETARY), role(8, R.BRANCH_SECRETARY)]
    assert route(team, {8}, kind=CaseKind.WISH) == 8
    assert route(team, set(), kind=CaseKind.WISH) == 7


def test_least_loaded_of_nobody_reachable_is_none() -> None:
    assert least_loaded([1, 2], set(), {}) is None
    assert least_loaded([], None, {}) is None
