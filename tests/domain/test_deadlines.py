from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from gridbot.domain.case import Priority
from gridbot.domain.deadlines import (
    NO_QUIET_HOURS,
    RESIDENT_QUIET_HOURS,
    QuietHours,
    compute_deadlines,
    defer_past_quiet_hours,
    end_of_local_day,
    follow_up_due,
    in_quiet_hours,
    parse_quiet_hours,
)
from gridbot.domain.org import Category

SHANGHAI = ZoneInfo("Asia/Shanghai")  # UTC+8 all year: no daylight saving
ENV = Category(code="env", name="环境卫生", respond_hours=2, resolve_hours=72, follow_up_days=3)
SECURITY = Category(code="security", name="治安", respond_hours=1, resolve_hours=24)
QUICK = Category(code="quick", name="quick", respond_hours=0.5, resolve_hours=8)


def local(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def test_response_deadline_is_the_category_hours_after_creation_in_utc() -> None:
    respond_by, _ = compute_deadlines(ENV, Priority.NORMAL, local(2026, 3, 10, 10, 0), SHANGHAI)
    assert respond_by == datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
    assert respond_by.tzinfo is UTC


def test_a_resolution_deadline_in_days_ends_at_the_end_of_that_local_day() -> None:
    _, resolve_by = compute_deadlines(ENV, Priority.NORMAL, local(2026, 3, 10, 10, 0), SHANGHAI)
    assert resolve_by == local(2026, 3, 13, 23, 59, 59)
    assert resolve_by == datetime(2026, 3, 13, 15, 59, 59, tzinfo=UTC)


def test_a_case_filed_just_before_midnight_gets_the_end_of_the_next_local_day() -> None:
    _, resolve_by = compute_deadlines(
        SECURITY, Priority.NORMAL, local(2026, 3, 10, 23, 30), SHANGHAI
    )
    assert resolve_by == local(2026, 3, 11, 23, 59, 59)


def test_the_day_is_the_local_day_not_the_utc_day() -> None:
    # 17:30 UTC on the 10th is 01:30 on the 11th in Shanghai: the deadline is the 12th local.
    created = datetime(2026, 3, 10, 17, 30, tzinfo=UTC)
    _, resolve_by = compute_deadlines(SECURITY, Priority.NORMAL, created, SHANGHAI)
    assert resolve_by == local(2026, 3, 12, 23, 59, 59)


def test_urgent_cases_get_half_the_hours() -> None:
    created = local(2026, 3, 10, 20, 0)
    respond_by, resolve_by = compute_deadlines(ENV, Priority.URGENT, created, SHANGHAI)
    assert respond_by == created + timedelta(hours=1)
    assert resolve_by == local(2026, 3, 12, 23, 59, 59)  # 36 hours: still counted in days


def test_deadlines_shorter_than_a_day_are_exact() -> None:
    created = local(2026, 3, 10, 20, 0)
    _, resolve_by = compute_deadlines(QUICK, Priority.NORMAL, created, SHANGHAI)
    assert resolve_by == local(2026, 3, 11, 4, 0)
    _, urgent = compute_deadlines(SECURITY, Priority.URGENT, created, SHANGHAI)
    assert urgent == local(2026, 3, 11, 8, 0)  # 24 halved is 12 hours: exact, across midnight


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 3, 10, 10, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        compute_deadlines(ENV, Priority.NORMAL, naive, SHANGHAI)
    with pytest.raises(ValueError, match="timezone-aware"):
        follow_up_due(naive, ENV)
    with pytest.raises(ValueError, match="timezone-aware"):
        defer_past_quiet_hours(naive, SHANGHAI)


def test_the_follow_up_falls_due_the_category_days_after_resolution() -> None:
    resolved = local(2026, 3, 10, 15, 0)
    assert follow_up_due(resolved, ENV) == local(2026, 3, 13, 15, 0)
    assert follow_up_due(resolved, ENV).tzinfo is UTC


def test_end_of_local_day() -> None:
    assert end_of_local_day(datetime(2026, 3, 10, 16, 0, tzinfo=UTC), SHANGHAI) == local(
        2026, 3, 11, 23, 59, 59
    )


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (local(2026, 3, 10, 23, 0), local(2026, 3, 11, 7, 0)),
        (local(2026, 3, 10, 22, 0), local(2026, 3, 11, 7, 0)),
        (local(2026, 3, 11, 3, 15), local(2026, 3, 11, 7, 0)),
        (local(2026, 3, 11, 0, 0), local(2026, 3, 11, 7, 0)),
        (local(2026, 3, 10, 21, 59), local(2026, 3, 10, 21, 59)),
        (local(2026, 3, 11, 7, 0), local(2026, 3, 11, 7, 0)),
        (local(2026, 3, 11, 12, 0), local(2026, 3, 11, 12, 0)),
    ],
)
def test_a_reminder_in_quiet_hours_moves_to_seven_in_the_morning(
    at: datetime, expected: datetime
) -> None:
    deferred = defer_past_quiet_hours(at, SHANGHAI)
    assert deferred == expected and deferred.tzinfo is UTC


def test_a_reminder_given_in_utc_is_judged_by_local_time() -> None:
    # 15:00 UTC is 23:00 in Shanghai.
    at = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert defer_past_quiet_hours(at, SHANGHAI) == local(2026, 3, 11, 7, 0)


def test_quiet_hours_within_one_day_and_no_quiet_hours_at_all() -> None:
    lunch = (time(12), time(14))
    assert defer_past_quiet_hours(local(2026, 3, 10, 13, 0), SHANGHAI, *lunch) == local(
        2026, 3, 10, 14, 0
    )
    assert not in_quiet_hours(local(2026, 3, 10, 14, 0), SHANGHAI, *lunch)
    assert not in_quiet_hours(local(2026, 3, 10, 23, 0), SHANGHAI, time(7), time(7))


def test_residents_quiet_hours_run_from_nine_at_night_to_eight_in_the_morning() -> None:
    quiet = RESIDENT_QUIET_HOURS
    assert quiet.contains(local(2026, 3, 10, 21, 0), SHANGHAI)
    assert quiet.contains(local(2026, 3, 11, 7, 59), SHANGHAI)
    assert not quiet.contains(local(2026, 3, 11, 8, 0), SHANGHAI)
    assert not quiet.contains(local(2026, 3, 10, 20, 59), SHANGHAI)
    assert quiet.defer(local(2026, 3, 10, 23, 30), SHANGHAI) == local(2026, 3, 11, 8, 0)
    assert quiet.defer(local(2026, 3, 10, 12, 0), SHANGHAI) == local(2026, 3, 10, 12, 0)


def test_quiet_hours_are_read_from_settings_text() -> None:
    assert parse_quiet_hours("21:00-08:00") == RESIDENT_QUIET_HOURS
    assert parse_quiet_hours(" 22:30 - 06:15 ") == QuietHours(time(22, 30), time(6, 15))
    assert parse_quiet_hours("off").off and parse_quiet_hours("").off
    assert str(RESIDENT_QUIET_HOURS) == "21:00-08:00" and str(NO_QUIET_HOURS) == "off"
    for bad in ("21:00", "9pm-8am", "25:00-08:00"):
        with pytest.raises(ValueError, match="HH:MM-HH:MM"):
            parse_quiet_hours(bad)


def test_a_follow_up_falls_due_the_categorys_days_after_closing() -> None:
    closed = local(2026, 3, 10, 16, 0)
    category = Category(code="env", name="环境卫生", follow_up_days=3)
    assert follow_up_due(closed, category) == local(2026, 3, 13, 16, 0)
