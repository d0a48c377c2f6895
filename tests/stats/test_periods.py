"""Periods as supervisors type them, cut at local midnight (Asia/Shanghai, UTC+8)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from gridbot.domain.errors import ValidationFailed
from gridbot.domain.metrics import Period, PeriodKind, parse_period, previous

TZ = ZoneInfo("Asia/Shanghai")
# Monday 30 November 2026, 10:00 local: the last day of a month, the first of a week.
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ).astimezone(UTC)  # type: ignore[misc]


def bounds(period: Period) -> tuple[datetime, datetime, str, str]:
    return period.start, period.end, period.kind, period.label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, (local(2026, 11, 1), local(2026, 12, 1), "month", "2026-11")),
        ("", (local(2026, 11, 1), local(2026, 12, 1), "month", "2026-11")),
        ("month", (local(2026, 11, 1), local(2026, 12, 1), "month", "2026-11")),
        ("本月", (local(2026, 11, 1), local(2026, 12, 1), "month", "2026-11")),
        ("today", (local(2026, 11, 30), local(2026, 12, 1), "day", "2026-11-30")),
        ("今天", (local(2026, 11, 30), local(2026, 12, 1), "day", "2026-11-30")),
        ("yesterday", (local(2026, 11, 29), local(2026, 11, 30), "day", "2026-11-29")),
        ("昨天", (local(2026, 11, 29), local(2026, 11, 30), "day", "2026-11-29")),
        ("week", (local(2026, 11, 30), local(2026, 12, 7), "week", "2026-W49")),
        ("本周", (local(2026, 11, 30), local(2026, 12, 7), "week", "2026-W49")),
        ("last-week", (local(2026, 11, 23), local(2026, 11, 30), "week", "2026-W48")),
        ("上周", (local(2026, 11, 23), local(2026, 11, 30), "week", "2026-W48")),
        ("quarter", (local(2026, 10, 1), local(2027, 1, 1), "quarter", "2026-Q4")),
        ("本季度", (local(2026, 10, 1), local(2027, 1, 1), "quarter", "2026-Q4")),
        ("last-month", (local(2026, 10, 1), local(2026, 11, 1), "month", "2026-10")),
        ("上月", (local(2026, 10, 1), local(2026, 11, 1), "month", "2026-10")),
        ("2026-10", (local(2026, 10, 1), local(2026, 11, 1), "month", "2026-10")),
        ("2026-11-05", (local(2026, 11, 5), local(2026, 11, 6), "day", "2026-11-05")),
        (
            "2026-10-01..2026-10-15",
            (local(2026, 10, 1), local(2026, 10, 16), "range", "2026-10-01..2026-10-15"),
        ),
        ("2026-W01", (local(2025, 12, 29), local(2026, 1, 5), "week", "2026-W01")),
        ("2026-q1", (local(2026, 1, 1), local(2026, 4, 1), "quarter", "2026-Q1")),
        ("  MONTH ", (local(2026, 11, 1), local(2026, 12, 1), "month", "2026-11")),
    ],
)
def test_every_form_of_a_period(text: str | None, expected: tuple[object, ...]) -> None:
    assert bounds(parse_period(text, NOW, TZ)) == expected


def test_the_bounds_are_local_midnights_in_utc() -> None:
    month = parse_period("2026-11", NOW, TZ)
    assert month.start == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert month.end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert (month.first_day, month.last_day) == (date(2026, 11, 1), date(2026, 11, 30))


def test_the_last_second_of_the_month_is_in_and_the_next_midnight_is_not() -> None:
    month = parse_period("2026-11", NOW, TZ)
    assert month.contains(local(2026, 11, 30, 23, 59, 59))
    assert not month.contains(local(2026, 12, 1))
    assert month.contains(local(2026, 11, 1))
    assert not month.contains(local(2026, 10, 31, 23, 59, 59))
    # 00:30 on 1 December local is still 30 November in UTC, and December's all the same.
    assert not month.contains(datetime(2026, 11, 30, 16, 30, tzinfo=UTC))


def test_a_week_starts_on_monday_and_crosses_months_and_years() -> None:
    sunday = parse_period("week", local(2026, 11, 29, 23, 59, 59), TZ)
    assert (sunday.first_day, sunday.last_day) == (date(2026, 11, 23), date(2026, 11, 29))
    assert sunday.label == "2026-W48" and sunday.end == local(2026, 11, 30)
    monday = parse_period("week", local(2026, 11, 30), TZ)
    assert (monday.first_day, monday.last_day) == (date(2026, 11, 30), date(2026, 12, 6))
    assert monday.label == "2026-W49" and monday.end - monday.start == timedelta(days=7)
    new_year = parse_period("week", local(2027, 1, 1, 12), TZ)
    assert (new_year.first_day, new_year.last_day, new_year.label) == (
        date(2026, 12, 28),
        date(2027, 1, 3),
        "2026-W53",
    )


def test_quarters_and_their_edges() -> None:
    assert parse_period("quarter", local(2026, 3, 31, 23, 59, 59), TZ).label == "2026-Q1"
    assert parse_period("quarter", local(2026, 4, 1), TZ).label == "2026-Q2"
    q3 = parse_period("2026-Q3", NOW, TZ)
    assert (q3.first_day, q3.last_day) == (date(2026, 7, 1), date(2026, 9, 30))


def test_the_local_day_decides_not_the_utc_one() -> None:
    # 23:30 UTC on 30 November is already 07:30 on 1 December in Shanghai.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert parse_period("today", late, TZ).label == "2026-12-01"
    assert parse_period(None, late, TZ).label == "2026-12"


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("2026-11-30", "2026-11-29"),
        ("2026-03-01", "2026-02-28"),
        ("2026-W48", "2026-W47"),
        ("2026-W01", "2025-W52"),
        ("2026-11", "2026-10"),
        ("2026-01", "2025-12"),
        ("2026-Q4", "2026-Q3"),
        ("2026-Q1", "2025-Q4"),
        ("2026-10-11..2026-10-20", "2026-10-01..2026-10-10"),
        ("2026-03-01..2026-03-01", "2026-02-28..2026-02-28"),
    ],
)
def test_the_period_before_is_of_the_same_kind_and_length(text: str, before: str) -> None:
    period = parse_period(text, NOW, TZ)
    earlier = previous(period)
    assert earlier.label == before and earlier.kind == period.kind
    assert earlier.end == period.start


def test_every_label_reads_back_as_its_period() -> None:
    for text in ("today", "week", "month", "quarter", "2026-10-01..2026-10-15"):
        period = parse_period(text, NOW, TZ)
        assert parse_period(period.label, NOW, TZ) == period


def test_the_kinds() -> None:
    assert [k.value for k in PeriodKind] == ["day", "week", "month", "quarter", "range"]


@pytest.mark.parametrize(
    "text",
    [
        "fortnight",
        "2026-13",
        "2026-00",
        "2026-02-30",
        "2026-W54",
        "2026-Q5",
        "2026-10-15..2026-10-01",
        "2025-01-01..2026-12-31",
        "2026/10",
        "0000-01",
        "9999-12",
        "10-2026",
        "2026-10-01..",
    ],
)
def test_bad_text_is_refused_with_the_period_code(text: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_period(text, NOW, TZ)
    assert refused.value.details["code"] == "period"


def test_a_day_of_a_daylight_saving_change_is_cut_at_its_own_midnights() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    spring = parse_period("2026-03-29", NOW, berlin)
    assert spring.end - spring.start == timedelta(hours=23)
    assert previous(spring).end - previous(spring).start == timedelta(hours=24)
