"""The pure parts of /export and /chart: the zone's offsets over a period (so SQL can
find an instant's local day), and a count for every day of the period."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from gridbot.domain.exports import DayCount, OffsetSpan, daily_counts, days_of, offset_spans
from gridbot.domain.metrics import day_period, month_period, range_period

SHANGHAI, BERLIN = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin")


def test_shanghai_has_one_offset_all_year() -> None:
    year = range_period(date(2026, 1, 1), date(2026, 12, 31), SHANGHAI)
    assert offset_spans(year) == (OffsetSpan(None, 8 * 3600),)


def test_a_summer_time_change_cuts_the_period_at_the_second_it_happens() -> None:
    assert offset_spans(month_period(2026, 10, BERLIN)) == (
        OffsetSpan(datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 7200),
        OffsetSpan(None, 3600),
    )
    year = range_period(date(2026, 1, 1), date(2026, 12, 31), BERLIN)
    assert offset_spans(year) == (
        OffsetSpan(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 3600),
        OffsetSpan(datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 7200),
        OffsetSpan(None, 3600),
    )


def test_a_day_that_ends_on_a_change_has_one_span() -> None:
    assert offset_spans(day_period(date(2026, 3, 28), BERLIN)) == (OffsetSpan(None, 3600),)
    assert offset_spans(day_period(date(2026, 3, 29), BERLIN)) == (
        OffsetSpan(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 3600),
        OffsetSpan(None, 7200),
    )


def test_every_day_of_the_period_gets_a_count() -> None:
    february = month_period(2026, 2, SHANGHAI)
    assert days_of(february)[0] == date(2026, 2, 1) and len(days_of(february)) == 28

    counts = daily_counts(february, {date(2026, 2, 3): (4, 1)})

    assert len(counts) == 28 and counts[0] == DayCount(date(2026, 2, 1), 0, 0)
    assert counts[2] == DayCount(date(2026, 2, 3), 4, 1)
