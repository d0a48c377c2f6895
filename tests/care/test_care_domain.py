"""Care visits (走访) as pure rules: when visits and reminders fall due, what a care person
record accepts, who may be assigned, and who may see and act."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.builders import (
    BUILDING,
    COMMUNITY,
    FAR_GRID,
    NEIGHBOUR_GRID,
    STREET,
    staff,
    tree,
)
from gridbot.domain.care import (
    CareCategory,
    CarePerson,
    care_workers,
    check_category,
    check_interval,
    check_line,
    check_outcome,
    check_phone,
    check_worker,
    in_daytime,
    mentions_person,
    next_reminder,
    next_visit_due,
    reminder_time,
    visit_due_on,
)
from gridbot.domain.errors import ValidationFailed
from gridbot.domain.org import Role, RoleAssignment, Staff
from gridbot.domain.policy import Action, may

TZ = ZoneInfo("Asia/Shanghai")
GRID = "DL-WX-LY-01"


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2026 in Shanghai."""
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


def person(**changes: object) -> CarePerson:
    values: dict[str, object] = {
        "name": "赵桂英",
        "grid_code": GRID,
        "category": CareCategory.ELDERLY_ALONE,
        "worker_id": 7,
        "phone": "13900003001",
        "added_at": local(2, 10),
        "id": 1,
    }
    values.update(changes)
    return CarePerson(**values)  # type: ignore[arg-type]


def test_a_visit_falls_due_at_nine_in_the_morning_the_interval_later() -> None:
    assert next_visit_due(local(2, 10), 7, TZ) == local(9, 9)
    # Late at night still counts as that local day, not the UTC one.
    assert next_visit_due(local(2, 23, 30), 1, TZ) == local(3, 9)
    assert next_visit_due(local(3, 0, 30), 1, TZ) == local(4, 9)
    assert visit_due_on(date(2026, 3, 9), TZ) == datetime(2026, 3, 9, 1, 0, tzinfo=UTC)


def test_the_first_visit_counts_from_registration_later_ones_from_the_latest_visit() -> None:
    care = person(visit_interval_days=14)
    assert care.schedule(TZ) == local(16, 9)
    assert care.visited(local(5, 15), TZ) == local(19, 9)
    assert care.visited(local(4, 11), TZ) == local(19, 9)  # recorded late: the latest counts
    assert care.last_visit_at == local(5, 15)


def test_overdue_from_the_due_moment_on() -> None:
    care = person()
    care.schedule(TZ)
    assert not care.is_overdue(local(9, 8, 59))
    assert care.is_overdue(local(9, 9))


def test_reminders_wait_for_the_daytime() -> None:
    assert in_daytime(local(2, 8), TZ) and not in_daytime(local(2, 20), TZ)
    assert reminder_time(local(2, 10), TZ) == local(2, 10)
    assert reminder_time(local(2, 21), TZ) == local(3, 9)  # after dinner: tomorrow morning
    assert reminder_time(local(3, 5), TZ) == local(3, 9)  # before dawn: this morning
    assert reminder_time(local(3, 8, 30), TZ) == local(3, 8, 30)
    assert next_reminder(local(9, 9), TZ) == local(11, 9)


@pytest.mark.parametrize("days", [0, 91, -3, True, "7", 7.5])
def test_an_interval_is_whole_days_from_1_to_90(days: object) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_interval(days)
    assert refused.value.details["code"] == "care_interval"


def test_intervals_categories_and_outcomes_that_are_taken() -> None:
    assert (check_interval(1), check_interval(90)) == (1, 90)
    assert check_category("left_behind_child") == CareCategory.LEFT_BEHIND_CHILD
    assert check_outcome("needs_help").value == "needs_help"
    for bad in (lambda: check_category("vip"), lambda: check_outcome("fine")):
        with pytest.raises(ValidationFailed):
            bad()


def test_a_name_or_address_is_one_line_of_limited_length() -> None:
    assert check_line("  赵 \n 桂英 ", 50) == "赵 桂英"
    with pytest.raises(ValidationFailed) as empty:
        check_line(" \n", 50)
    assert empty.value.details["code"] == "text_empty"
    with pytest.raises(ValidationFailed) as long:
        check_line("很" * 51, 50)
    assert (long.value.details["code"], long.value.details["limit"]) == ("text_too_long", 50)


def test_a_phone_is_digits_with_separators_dropped() -> None:
    assert check_phone(" 139-0000 3001 ") == "13900003001"
    assert check_phone("+8613900003001") == "+8613900003001"
    for bad in ("1234", "电话13900003001", "", None, "1" * 21):
        with pytest.raises(ValidationFailed):
            check_phone(bad)


def test_a_care_worker_is_of_the_grids_own_team_workers_first() -> None:
    roles = [
        RoleAssignment(3, Role.GRID_LEADER, GRID),
        RoleAssignment(3, Role.BRANCH_SECRETARY, GRID),
        RoleAssignment(4, Role.GRID_WORKER, GRID),
        RoleAssignment(5, Role.GRID_WORKER, "DL-WX-LY-02"),
        RoleAssignment(6, Role.GRID_GUIDE, GRID),
        RoleAssignment(8, Role.RESIDENT, GRID),
        RoleAssignment(9, Role.BRANCH_SECRETARY, GRID),
    ]
    assert care_workers(roles, GRID) == [4, 3, 9]
    assert check_worker(9, roles, GRID) == 9
    for outsider in (5, 6, 8):
        with pytest.raises(ValidationFailed) as refused:
            check_worker(outsider, roles, GRID)
        assert refused.value.details["code"] == "care_worker"


def test_a_text_naming_the_person_or_giving_their_phone_is_caught() -> None:
    care = person()
    assert mentions_person("赵桂英家的水管漏了", care)
    assert mentions_person("请联系 139 0000 3001", care)
    assert not mentions_person("5号楼老人家中水管漏水，需要维修", care)
    assert not mentions_person("水管漏了", person(phone=None))


# --- who may: the worker, the grid leader, supervisors --------------------------------------

WORKER = 7  # the assigned worker of ``person()``


@pytest.mark.parametrize(
    ("who", "view", "visit", "manage"),
    [
        (staff(WORKER, (Role.GRID_WORKER, GRID)), True, True, False),
        (staff(WORKER, (Role.GRID_WORKER, NEIGHBOUR_GRID)), True, True, False),  # moved on
        (staff(40, (Role.GRID_WORKER, GRID)), False, False, False),  # a colleague
        (staff(41, (Role.GRID_LEADER, GRID)), True, True, True),
        (staff(42, (Role.GRID_LEADER, NEIGHBOUR_GRID)), False, False, False),
        (staff(43, (Role.BRANCH_SECRETARY, GRID)), False, False, False),
        (staff(44, (Role.SUPERVISOR, COMMUNITY)), True, False, False),
        (staff(45, (Role.SUPERVISOR, FAR_GRID)), False, False, False),
        (staff(46, (Role.RESIDENT, BUILDING)), False, False, False),
        (staff(47, (Role.ADMIN, STREET)), False, False, False),
    ],
)
def test_who_may_see_visit_and_manage_a_care_person(
    who: Staff, view: bool, visit: bool, manage: bool
) -> None:
    care, org = person(), tree()
    assert may(who, Action.VIEW_CARE_PERSON, tree=org, care_person=care) is view
    assert may(who, Action.VISIT_CARE_PERSON, tree=org, care_person=care) is visit
    assert may(who, Action.MANAGE_CARE, tree=org, care_person=care) is manage


def test_a_grids_list_is_the_grid_leaders_and_the_supervisors() -> None:
    org = tree()
    leader, supervisor = staff(41, (Role.GRID_LEADER, GRID)), staff(44, (Role.SUPERVISOR, STREET))
    worker = staff(WORKER, (Role.GRID_WORKER, GRID))
    assert may(leader, Action.VIEW_CARE_PERSON, tree=org, unit_code=GRID)
    assert may(supervisor, Action.VIEW_CARE_PERSON, tree=org, unit_code=GRID)
    assert not may(worker, Action.VIEW_CARE_PERSON, tree=org, unit_code=GRID)
    assert may(leader, Action.MANAGE_CARE, tree=org, unit_code=GRID)
    assert not may(supervisor, Action.MANAGE_CARE, tree=org, unit_code=GRID)
    assert not may(leader, Action.VISIT_CARE_PERSON, tree=org, unit_code=GRID)  # a person only


def test_the_visit_dates_are_whole_local_days_even_across_months() -> None:
    assert next_visit_due(local(28, 18), 30, TZ) == datetime(2026, 4, 27, 9, tzinfo=TZ)
    assert next_visit_due(local(31, 9), 1, TZ) - local(31, 9) == timedelta(days=1)
