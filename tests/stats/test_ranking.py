"""/rank as a use case over the league of league.py (worked out by hand there): the order,
the tie and its rule, the grids with too few cases set apart, a community's workers with
their load and median time to accept, paging, and who may ask (refused before anything
is read). The counts by holder run on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from demo_town import DemoTown
from gridbot.domain.errors import PermissionDenied, UnknownUnit, ValidationFailed
from gridbot.domain.metrics import Counts
from gridbot.domain.org import GridKind, OrgUnit, UnitLevel
from gridbot.domain.ranking import MIN_RECEIVED
from gridbot.domain.staffing import Load
from gridbot.services.stats import Ranking, RankOf, RankView, rank_units
from gridbot.storage.database import Database

from .league import LY1, LY2, ZB1, ZB2, build_league
from .test_unit_stats import reads_nothing

STREET_SUPERVISOR, DISTRICT_SUPERVISOR = 1022, 1023
WORKER, LEADER, RESIDENT = 1001, 1002, 2001
FEBRUARY = "2026-02"


class League(DemoTown):
    async def rank(self, telegram_id: int, *args: Any, **kw: Any) -> Ranking:
        return await rank_units(RankOf(await self.actor(telegram_id), *args, **kw), self.ctx)


@pytest.fixture
async def league(db: Database) -> League:
    town = await League.demo(db)
    await build_league(db)
    return town


def lines(ranking: Ranking) -> list[tuple[int | None, str, float | None, int]]:
    return [
        (e.place, e.code or e.name, e.score, e.figures.counts.received) for e in ranking.entries
    ]


async def test_the_grids_of_a_street_are_ranked_best_first_with_the_tie_broken_by_cases(
    league: League,
) -> None:
    ranking = await league.rank(STREET_SUPERVISOR, FEBRUARY)

    assert ranking.unit.code == "DL-WX" and ranking.period.label == FEBRUARY
    assert ranking.view == RankView.GRIDS and not ranking.has_workers
    assert lines(ranking) == [
        (1, LY1, 95.0, 6),
        (2, LY2, 90.0, 6),  # ties ZB-01 at 90.0 with more cases received
        (3, ZB1, 90.0, 5),  # exactly MIN_RECEIVED cases: ranked
        (None, ZB2, 70.0, 4),  # too few to judge: apart, though it has a score
    ]
    assert (ranking.ranked, ranking.apart, ranking.pages) == (3, 1, 1)
    assert ranking.community_example == "DL-WX-LY"
    first = ranking.entries[0].figures
    assert first.counts == Counts(
        received=6, accepted=6, resolved=6, closed=6, resolved_on_time=6, closed_in_grid=6,
        reopened=1, closed_unrated=1, satisfied=4, basically_satisfied=1, unsatisfied=1,
        response_due=6, responded_on_time=6,
    )  # fmt: skip
    assert first.satisfaction_rate == pytest.approx(5 / 6) and first.on_time_rate == 1.0


async def test_the_district_ranks_the_same_grids_and_a_month_without_cases_ranks_none(
    league: League,
) -> None:
    district = await league.rank(DISTRICT_SUPERVISOR, FEBRUARY)
    assert district.unit.code == "DL"
    assert [e.code for e in district.entries] == [LY1, LY2, ZB1, ZB2]

    january = await league.rank(DISTRICT_SUPERVISOR, "2026-01")
    assert [(e.place, e.code, e.figures.counts.received) for e in january.entries] == [
        (None, LY1, 2),  # the two January cases: too few
        (None, LY2, 0),
        (None, ZB1, 0),
        (None, ZB2, 0),
    ]


async def test_a_community_ranks_its_workers_by_the_cases_they_handled(league: League) -> None:
    grids = await league.rank(STREET_SUPERVISOR, FEBRUARY, "DL-WX-LY")
    assert grids.has_workers and [e.code for e in grids.entries] == [LY1, LY2]

    workers = await league.rank(STREET_SUPERVISOR, FEBRUARY, "DL-WX-LY", view="workers")

    assert workers.view == RankView.WORKERS
    assert lines(workers) == [
        (1, "张伟", 95.0, 6),
        (2, "李娜", 94.0, 5),
        (None, "刘洋", 50.0, 1),  # response 1/1, resolution 0/1, nothing more
        # Case handlers of the community with no case this month, by name.
        (None, "周建国", None, 0),
        (None, "孙丽", None, 0),
        (None, "徐强", None, 0),
        (None, "林小红", None, 0),
        (None, "王芳", None, 0),
    ]
    zhang, li, liu = workers.entries[:3]
    assert zhang.figures.median_response == timedelta(minutes=35)
    assert li.figures.median_response == timedelta(minutes=15)
    # Open now, on any grid and whenever received: 张伟's January case is late.
    assert zhang.load == Load(open=1, overdue=1)
    assert li.load == Load(open=1) and liu.load == Load(open=1)
    assert li.figures.resolution_rate == pytest.approx(4 / 5)


async def test_a_page_at_a_time_with_the_too_few_group_at_the_end(league: League) -> None:
    async with league.db.uow() as uow:
        for n in range(3, 9):  # six more grids, with no case: ten under the street
            code = f"DL-WX-ZB-{n:02d}"
            grid = OrgUnit(code, f"詹滨里网格{n}", UnitLevel.GRID, "DL-WX-ZB", GridKind.RESIDENTIAL)
            await uow.org.save_unit(grid)
        await uow.commit()

    first = await league.rank(STREET_SUPERVISOR, FEBRUARY)
    second = await league.rank(STREET_SUPERVISOR, FEBRUARY, page=1)
    beyond = await league.rank(STREET_SUPERVISOR, FEBRUARY, page=9)

    assert (first.pages, first.ranked, first.apart) == (2, 3, 7)
    assert [e.code for e in first.entries] == [
        LY1, LY2, ZB1, ZB2, "DL-WX-ZB-03", "DL-WX-ZB-04", "DL-WX-ZB-05", "DL-WX-ZB-06"
    ]  # fmt: skip
    assert [e.code for e in second.entries] == ["DL-WX-ZB-07", "DL-WX-ZB-08"]
    assert beyond.page == 1 and beyond.entries == second.entries


async def test_a_grid_asked_by_a_building_of_it_and_its_workers(league: League) -> None:
    ranking = await league.rank(STREET_SUPERVISOR, FEBRUARY, "dl-wx-ly-01-b03", view="workers")
    assert ranking.unit.code == LY1 and ranking.view == RankView.WORKERS
    assert [e.name for e in ranking.entries if e.place] == ["张伟"]


async def test_the_workers_view_of_a_street_falls_back_to_its_grids(league: League) -> None:
    ranking = await league.rank(STREET_SUPERVISOR, FEBRUARY, view="workers")
    assert ranking.view == RankView.GRIDS and len(ranking.entries) == 4


@pytest.mark.parametrize("who", [RESIDENT, WORKER, LEADER])
async def test_anyone_but_a_supervisor_is_refused_before_anything_is_read(
    league: League, who: int
) -> None:
    league.ctx, opened = reads_nothing(league.ctx)
    with pytest.raises(PermissionDenied) as refused:
        await league.rank(who)
    assert refused.value.details["action"] == "view_stats" and opened == []


async def test_a_unit_above_or_unknown_or_a_bad_period_is_refused_before_reading(
    league: League,
) -> None:
    league.ctx, opened = reads_nothing(league.ctx)
    with pytest.raises(PermissionDenied):
        await league.rank(STREET_SUPERVISOR, FEBRUARY, "DL")
    with pytest.raises(UnknownUnit):
        await league.rank(STREET_SUPERVISOR, FEBRUARY, "DL-XX")
    with pytest.raises(UnknownUnit):
        await league.rank(STREET_SUPERVISOR, unit_id=999_999)
    with pytest.raises(ValidationFailed) as bad:
        await league.rank(STREET_SUPERVISOR, "2026-13")
    assert bad.value.details["code"] == "period" and opened == []


def test_the_threshold_is_five_cases() -> None:
    assert MIN_RECEIVED == 5
