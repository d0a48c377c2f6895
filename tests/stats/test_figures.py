"""Every figure of /stats pinned to values worked out by hand from the town of town.py, for
the district, a street and a grid, over November 2026 and over 1 December, on SQLite and
on PostgreSQL. The case a second before November ends counts; the one at its midnight
does not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridbot.domain.metrics import (
    Counts,
    Figures,
    VisitCounts,
    WishCounts,
    composite_score,
    month_period,
    parse_period,
    previous,
)
from gridbot.services.orgcache import OrgCache
from gridbot.services.stats import UnitStats, compute_stats
from gridbot.storage.database import Database

from .town import G1, G2, G3, NOW, TZ, build_town

NOVEMBER = month_period(2026, 11, TZ)

G1_COUNTS = Counts(
    received=7, accepted=4, resolved=3, closed=3, open=3, overdue=3, rejected=1,
    resolved_on_time=3, closed_in_grid=2, reopened=1, closed_unrated=1, satisfied=2,
    response_due=6, responded_on_time=4,
)  # fmt: skip
G2_COUNTS = Counts(
    received=3, accepted=2, resolved=2, closed=1, cancelled=1, resolved_on_time=1,
    basically_satisfied=1, response_due=2, responded_on_time=1,
)  # fmt: skip
G3_COUNTS = Counts(
    received=2, accepted=2, resolved=1, closed=1, open=1, overdue=1, resolved_on_time=1,
    closed_in_grid=1, reopened=1, closed_unrated=1, unsatisfied=2, response_due=2,
    responded_on_time=2,
)  # fmt: skip
STREET_COUNTS = Counts(
    received=10, accepted=6, resolved=5, closed=4, open=3, overdue=3, rejected=1,
    cancelled=1, resolved_on_time=4, closed_in_grid=2, reopened=1, closed_unrated=1,
    satisfied=2, basically_satisfied=1, response_due=8, responded_on_time=5,
)  # fmt: skip
DISTRICT_COUNTS = Counts(
    received=12, accepted=8, resolved=6, closed=5, open=4, overdue=4, rejected=1,
    cancelled=1, resolved_on_time=5, closed_in_grid=3, reopened=2, closed_unrated=2,
    satisfied=2, basically_satisfied=1, unsatisfied=2, response_due=10, responded_on_time=7,
)  # fmt: skip
SAFETY_COUNTS = Counts(
    received=3, accepted=2, resolved=2, closed=1, open=1, overdue=1, resolved_on_time=1,
    basically_satisfied=1, response_due=2, responded_on_time=1,
)  # fmt: skip
ENV_COUNTS = Counts(
    received=9, accepted=6, resolved=4, closed=4, open=3, overdue=3, rejected=1,
    cancelled=1, resolved_on_time=4, closed_in_grid=3, reopened=2, closed_unrated=2,
    satisfied=2, unsatisfied=2, response_due=8, responded_on_time=6,
)  # fmt: skip


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


@pytest.fixture
async def town(db: Database) -> Database:
    await build_town(db)
    return db


async def stats_of(db: Database, code: str, period_text: str | None = "2026-11") -> UnitStats:
    async with db.reader() as uow:
        org = await OrgCache().current(uow)
        period = parse_period(period_text, NOW, TZ)
        return await compute_stats(uow, org, org.tree.get(code), period, NOW)


def medians(figures: Figures) -> tuple[timedelta | None, timedelta | None]:
    return figures.median_response, figures.median_resolution


async def test_the_district_figures(town: Database) -> None:
    stats = await stats_of(town, "DL")

    assert stats.period == NOVEMBER and stats.now == NOW
    f = stats.figures
    assert f.counts == DISTRICT_COUNTS and f.counts.rated == 5
    assert f.response_rate == pytest.approx(0.7)  # 7 of 10 responses due were in time
    assert f.resolution_rate == pytest.approx(0.5)  # 6 resolved of 12 received
    assert f.satisfaction_rate == pytest.approx(0.6)  # 满意 A B, 基本满意 K of 5 rated
    assert f.on_time_rate == pytest.approx(5 / 6)  # J was resolved late
    assert f.in_grid_rate == pytest.approx(0.6)  # A I N of 5 closed; B K went up
    assert f.reopen_rate == pytest.approx(2 / 6)  # B and N were reopened
    assert f.unrated_share == pytest.approx(0.4)  # I, and N's second resolution
    # Response: 5 m, 10 m, 20 m, 30 m ×3, 3 h ×2; resolution: 1 d ×4, 2 d 6 h, 5 d.
    assert medians(f) == (minutes(30), hours(24))
    assert composite_score(f) == pytest.approx(0.3 * 0.7 + 0.3 * 0.5 + 0.3 * 0.6 + 0.1 * 5 / 6)
    assert [(c.unit.code, c.figures.counts) for c in stats.children] == [  # by code
        ("DL-HP", G3_COUNTS),
        ("DL-WX", STREET_COUNTS),
    ]
    assert [medians(c.figures) for c in stats.children] == [
        (minutes(17.5), hours(24)),  # 5 m and 30 m; N's 1 d
        (minutes(30), hours(24)),
    ]
    assert [(c.code, c.name, c.figures.counts) for c in stats.by_category] == [
        ("env", "环境卫生", ENV_COUNTS),
        ("safety", "安全隐患", SAFETY_COUNTS),
    ]
    assert [medians(c.figures) for c in stats.by_category] == [
        (minutes(25), hours(24)),  # 5 m, 10 m, 20 m, 30 m, 30 m, 3 h; 1 d ×3, 5 d
        (minutes(105), hours(39)),  # J 30 m and K 3 h; K 1 d and J 2 d 6 h
    ]
    assert stats.wishes == WishCounts(posted=4, claimed=3, fulfilled=2)
    assert stats.visits == VisitCounts(
        follow_ups_due=4, follow_ups_done=2, follow_ups_overdue=2, care_visits=4, care_overdue=2
    )


async def test_a_street_holds_its_own_grids_only(town: Database) -> None:
    stats = await stats_of(town, "DL-WX")

    f = stats.figures
    assert f.counts == STREET_COUNTS
    assert (f.response_rate, f.resolution_rate) == (pytest.approx(5 / 8), pytest.approx(0.5))
    assert f.satisfaction_rate == pytest.approx(1.0)
    assert (f.on_time_rate, f.in_grid_rate) == (pytest.approx(0.8), pytest.approx(0.5))
    assert (f.reopen_rate, f.unrated_share) == (pytest.approx(0.2), pytest.approx(0.25))
    assert medians(f) == (minutes(30), hours(24))
    assert [(c.unit.code, c.figures.counts, medians(c.figures)) for c in stats.children] == [
        ("DL-WX-LY", G1_COUNTS, (minutes(25), hours(24))),
        ("DL-WX-ZB", G2_COUNTS, (minutes(105), hours(39))),
    ]
    street_env = Counts(
        received=7, accepted=4, resolved=3, closed=3, open=2, overdue=2, rejected=1,
        cancelled=1, resolved_on_time=3, closed_in_grid=2, reopened=1, closed_unrated=1,
        satisfied=2, response_due=6, responded_on_time=4,
    )  # fmt: skip
    assert [(c.code, c.figures.counts, medians(c.figures)) for c in stats.by_category] == [
        ("env", street_env, (minutes(25), hours(24))),  # A B C I; A B I
        ("safety", SAFETY_COUNTS, (minutes(105), hours(39))),  # F J K are all the street's
    ]
    assert stats.wishes == WishCounts(posted=3, claimed=2, fulfilled=1)
    assert stats.visits == VisitCounts(
        follow_ups_due=3, follow_ups_done=2, follow_ups_overdue=1, care_visits=3, care_overdue=1
    )


async def test_a_grid_has_no_children_and_counts_the_last_second_of_the_month(
    town: Database,
) -> None:
    stats = await stats_of(town, G1)

    f = stats.figures
    assert f.counts == G1_COUNTS  # F at 23:59:59 on 30 November is in; G at midnight is not
    assert f.response_rate == pytest.approx(4 / 6)  # H, received in October, was due now
    assert (f.resolution_rate, f.satisfaction_rate) == (pytest.approx(3 / 7), pytest.approx(1))
    assert (f.on_time_rate, f.in_grid_rate) == (pytest.approx(1), pytest.approx(2 / 3))
    assert (f.reopen_rate, f.unrated_share) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
    assert medians(f) == (minutes(25), hours(24))  # 10 m 20 m 30 m 3 h; 1 d 1 d 5 d
    assert stats.children == ()
    grid_env = Counts(
        received=6, accepted=4, resolved=3, closed=3, open=2, overdue=2, rejected=1,
        resolved_on_time=3, closed_in_grid=2, reopened=1, closed_unrated=1, satisfied=2,
        response_due=6, responded_on_time=4,
    )  # fmt: skip
    assert [(c.code, c.figures.counts) for c in stats.by_category] == [
        ("env", grid_env),
        ("safety", Counts(received=1, open=1, overdue=1)),  # F
    ]
    assert medians(stats.by_category[0].figures) == (minutes(25), hours(24))
    safety = stats.by_category[1].figures
    assert safety.response_rate is None  # F's response falls due in December
    assert medians(safety) == (None, None)
    assert stats.wishes == WishCounts(posted=3, claimed=2, fulfilled=1)
    assert stats.visits == VisitCounts(
        follow_ups_due=2, follow_ups_done=1, follow_ups_overdue=1, care_visits=2, care_overdue=1
    )


async def test_a_grid_of_another_street(town: Database) -> None:
    stats = await stats_of(town, G3)

    assert stats.figures.counts == G3_COUNTS
    assert stats.figures.satisfaction_rate == 0.0  # rated twice, 不满意 both times
    assert [c.code for c in stats.by_category] == ["env"]


async def test_today_counts_only_responses_already_due(town: Database) -> None:
    stats = await stats_of(town, G1, "today")

    f = stats.figures
    # G (00:00) and Q (09:30) were received today; F's and G's responses fell due today
    # and were missed; Q's is not due yet, and is not counted either way.
    assert f.counts == Counts(received=2, open=2, overdue=1, response_due=2)
    assert (f.response_rate, f.resolution_rate) == (0.0, 0.0)
    assert (f.satisfaction_rate, f.on_time_rate, f.in_grid_rate) == (None, None, None)
    assert (f.reopen_rate, f.unrated_share) == (None, None)
    assert medians(f) == (None, None)
    assert composite_score(f) == 0.0


async def test_the_month_before(town: Database) -> None:
    october = previous(NOVEMBER)
    async with town.reader() as uow:
        org = await OrgCache().current(uow)
        stats = await compute_stats(uow, org, org.tree.get(G1), october, NOW)

    assert october.label == "2026-10"
    # H came in at 23:59:59 on 31 October; still open, its resolution deadline passed.
    assert stats.figures.counts == Counts(received=1, accepted=1, open=1, overdue=1)
    assert stats.figures.response_rate is None  # H's response was due in November
    assert medians(stats.figures) == (timedelta(hours=1, seconds=1), None)
    assert stats.wishes == WishCounts(posted=1, claimed=1, fulfilled=1)
    assert stats.visits == VisitCounts(care_visits=1, care_overdue=1)  # overdue is now


async def test_a_unit_with_no_cases_has_no_rates(town: Database) -> None:
    stats = await stats_of(town, G2, "2026-01")

    f = stats.figures
    assert f.counts == Counts()
    assert [f.response_rate, f.resolution_rate, f.satisfaction_rate, f.on_time_rate] == [None] * 4
    assert composite_score(f) is None
    assert stats.by_category == ()
    assert (stats.wishes, stats.visits) == (WishCounts(), VisitCounts())


async def test_every_case_outside_the_units_grids_is_left_out(town: Database) -> None:
    whole = await stats_of(town, "DL")
    parts = [await stats_of(town, code) for code in (G1, G2, G3)]

    total = Counts()
    for part in parts:
        total += part.figures.counts
    assert total == whole.figures.counts
