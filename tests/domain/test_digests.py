"""The public digests' schedule and audience, and what a supervisor's brief names: pure
functions on plain values."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.digests import (
    DigestSource,
    digest_period,
    format_digests,
    next_digest_at,
    parse_digests,
    publishing_unit,
    residents_groups,
)
from gridbot.domain.metrics import Counts, day_period, figures_of
from gridbot.domain.org import OrgUnit, Role, RoleAssignment, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.supervision import UnitDay, supervised_tops, worst_grids

from .builders import (
    BUILDING,
    COMMUNITY,
    DISTRICT,
    FAR_GRID,
    GRID,
    NEIGHBOUR_GRID,
    OTHER_COMMUNITY,
    STREET,
    tree,
)

TZ = ZoneInfo("Asia/Shanghai")
W, M = DigestSource.WEEKLY, DigestSource.MONTHLY


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("after", "schedule", "expected"),
    [
        (local(2026, 3, 2, 10, 0), W, local(2026, 3, 9, 9, 0)),  # a Monday, after 09:00
        (local(2026, 3, 2, 8, 59), W, local(2026, 3, 2, 9, 0)),  # a Monday, before
        (local(2026, 3, 2, 9, 0), W, local(2026, 3, 9, 9, 0)),  # strictly after
        (local(2026, 3, 8, 23, 0), W, local(2026, 3, 9, 9, 0)),  # a Sunday night
        (local(2026, 3, 2, 10, 0), M, local(2026, 4, 1, 9, 0)),
        (local(2026, 12, 1, 9, 30), M, local(2027, 1, 1, 9, 0)),  # over the year's end
        (local(2026, 3, 1, 0, 30), M, local(2026, 3, 1, 9, 0)),
    ],
)
def test_the_next_run_is_monday_or_the_first_at_nine(
    after: datetime, schedule: DigestSource, expected: datetime
) -> None:
    found = next_digest_at(schedule, after.astimezone(UTC), TZ)
    assert found == expected and found.tzinfo == UTC


def test_a_run_reports_the_week_or_the_month_before_its_day() -> None:
    week = digest_period(W, local(2026, 3, 9, 9, 0), TZ)
    assert (week.label, week.first_day.isoformat(), week.last_day.isoformat()) == (
        "2026-W10",
        "2026-03-02",
        "2026-03-08",
    )
    assert digest_period(M, local(2026, 1, 1, 9, 0), TZ).label == "2025-12"
    assert digest_period(M, local(2026, 3, 1, 9, 0), TZ).label == "2026-02"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("weekly,monthly", {W, M}),
        (" Monthly ", {M}),
        ("weekly", {W}),
        ("off", set()),
        ("", set()),
    ],
)
def test_the_setting_names_the_schedules(text: str, expected: set[DigestSource]) -> None:
    assert parse_digests(text) == expected
    assert parse_digests(format_digests(parse_digests(text))) == expected


@pytest.mark.parametrize("text", ["daily", "weekly,yearly", "manual"])
def test_an_unknown_schedule_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="weekly, monthly, off"):
        parse_digests(text)


def test_residents_groups_leave_out_workers_groups_and_groups_the_bot_left() -> None:
    at = datetime(2026, 3, 2, tzinfo=UTC)
    bindings = [
        ChatBinding(-1, BUILDING, BindingKind.BUILDING, at),
        ChatBinding(-2, GRID, BindingKind.WORKER_GROUP, at),
        ChatBinding(-3, FAR_GRID, BindingKind.ENTERPRISE, at),
        ChatBinding(-4, BUILDING, BindingKind.BUILDING, at, active=False),
    ]
    assert [b.chat_id for b in residents_groups(bindings)] == [-1, -3]


def test_a_group_hears_its_communitys_digest_or_its_grids_without_one() -> None:
    units = [
        *tree(),
        OrgUnit("DL-X", "无社区街道", UnitLevel.STREET, DISTRICT),
    ]
    lone = OrgUnit("DL-X-01", "直属网格", UnitLevel.GRID, "DL-X")
    found = OrgTree([*units, lone])
    assert publishing_unit(found, BUILDING) == found.get(COMMUNITY)
    assert publishing_unit(found, FAR_GRID) == found.get(OTHER_COMMUNITY)
    assert publishing_unit(found, "DL-X-01") == lone
    assert publishing_unit(found, "NOPE") is None


def test_the_worst_grids_are_the_most_overdue() -> None:
    found = worst_grids({GRID: 2, NEIGHBOUR_GRID: 5, FAR_GRID: 2, "GONE": 9, STREET: 0}, tree())
    assert [(g.grid.code, g.overdue) for g in found] == [
        (NEIGHBOUR_GRID, 5),
        (FAR_GRID, 2),  # ties by code
        (GRID, 2),
    ]
    assert worst_grids({GRID: 0}, tree()) == ()
    assert len(worst_grids({GRID: 1, NEIGHBOUR_GRID: 1, FAR_GRID: 1}, tree(), limit=2)) == 2


def test_a_supervisor_is_briefed_on_their_highest_units_only() -> None:
    roles = [
        RoleAssignment(1, Role.SUPERVISOR, STREET),
        RoleAssignment(1, Role.SUPERVISOR, COMMUNITY),  # part of the street
        RoleAssignment(2, Role.SUPERVISOR, OTHER_COMMUNITY),
        RoleAssignment(2, Role.SUPERVISOR, GRID),
        RoleAssignment(3, Role.GRID_LEADER, GRID),
        RoleAssignment(4, Role.SUPERVISOR, "GONE"),
    ]
    assert supervised_tops(roles, tree()) == {1: [STREET], 2: [OTHER_COMMUNITY, GRID]}


def test_a_unit_is_quiet_with_nothing_received_owed_or_overdue() -> None:
    unit, day = tree().get(STREET), day_period(local(2026, 3, 2).date(), TZ)
    assert UnitDay(unit, day, figures_of(Counts()), overdue=0).quiet
    assert not UnitDay(unit, day, figures_of(Counts()), overdue=1).quiet
    assert not UnitDay(unit, day, figures_of(Counts(received=1)), overdue=0).quiet
    assert not UnitDay(unit, day, figures_of(Counts(response_due=1)), overdue=0).quiet
    assert time(9) == next_digest_at(W, local(2026, 3, 1), TZ).astimezone(TZ).time()
