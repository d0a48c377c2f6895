"""/grid as a use case over the league of league.py: DL-WX-LY-01's card for February against
January (worked out there by hand), its team without residents, phones for who may see
them, what is open now, its top categories; the usage answer; who may ask about which
grid, refused before anything is read."""

from __future__ import annotations

from typing import Any

import pytest

from demo_town import DemoTown
from gridbot.domain.errors import PermissionDenied, UnknownUnit
from gridbot.domain.metrics import month_period, parse_period, previous
from gridbot.domain.org import GridKind, OrgUnit, Role, UnitLevel
from gridbot.domain.staffing import Load
from gridbot.services.stats import GridCard, GridCardOf, GridUsage, grid_card
from gridbot.storage.database import Database

from .league import LY1, TZ, build_league
from .test_unit_stats import reads_nothing

STREET_SUPERVISOR, DISTRICT_SUPERVISOR = 1022, 1023
WORKER, LEADER, OTHER_LEADER, RESIDENT, SECRETARY = 1001, 1002, 1004, 2001, 1009
R = Role


class League(DemoTown):
    async def card(self, telegram_id: int, *args: Any, **kw: Any) -> GridCard | GridUsage:
        return await grid_card(GridCardOf(await self.actor(telegram_id), *args, **kw), self.ctx)

    async def grid_card(self, telegram_id: int, *args: Any, **kw: Any) -> GridCard:
        card = await self.card(telegram_id, *args, **kw)
        assert isinstance(card, GridCard)
        return card


@pytest.fixture
async def league(db: Database) -> League:
    town = await League.demo(db)
    await build_league(db)
    return town


async def test_the_card_sets_the_period_against_the_one_before(league: League) -> None:
    card = await league.grid_card(STREET_SUPERVISOR, "dl-wx-ly-01", "2026-02")

    assert card.grid.code == LY1 and card.community is not None
    assert card.community.name == "临月里社区"
    now = league.clock.now()
    assert card.period == parse_period("2026-02", now, TZ) == month_period(2026, 2, TZ)
    assert card.previous == previous(card.period) == month_period(2026, 1, TZ)
    assert (card.score.now, card.score.before) == (pytest.approx(0.95), pytest.approx(0.7))
    assert card.score.change == 25.0
    assert [(t.name, t.change) for t in card.trends] == [
        ("response_rate", 50.0),  # 6/6 against 1/2
        ("resolution_rate", 50.0),  # 6/6 against 1/2
        ("satisfaction_rate", -16.7),  # 5/6 against 1/1
        ("on_time_rate", 0.0),  # 6/6 against 1/1
        ("in_grid_rate", 0.0),  # 6/6 against 1/1
        ("reopen_rate", 16.7),  # 1/6 against 0/1
    ]
    assert card.figures.counts.received == 6
    # Open on the grid now: January's late case (February's are all closed).
    assert card.open == Load(open=1, overdue=1)
    assert [(c.code, c.figures.counts.received) for c in card.top_categories] == [
        ("env", 4),
        ("safety", 2),
    ]


async def test_the_team_is_the_grids_staff_never_a_resident(league: League) -> None:
    card = await league.grid_card(STREET_SUPERVISOR, LY1, "2026-02")

    team = {line.name: (line.roles, line.phone) for line in card.team}
    assert team == {
        "王芳": ((R.GRID_LEADER, R.BRANCH_SECRETARY), "13800001002"),
        "张伟": ((R.GRID_WORKER,), "13800001001"),
        "徐强": ((R.GRID_GUIDE,), "13800001011"),
        "孙丽": ((R.GRID_GUIDE,), None),
        "马红": ((R.PARTY_MEMBER,), None),
        "郭志刚": ((R.PARTY_MEMBER, R.BUILDING_LEADER), "13800001016"),
        "胡婷": ((R.SERVICE_SPECIALIST,), None),
    }
    assert [line.name for line in card.team][:2] == ["王芳", "张伟"]  # who leads first
    assert card.phones and card.more_team == 0
    assert "李桂兰" not in team  # a resident of the grid's building


async def test_its_leader_reads_their_own_grid_with_phones_even_without_a_code(
    league: League,
) -> None:
    card = await league.grid_card(LEADER)
    assert card.grid.code == LY1 and card.period.label == "2026-03" and card.phones
    assert card.previous.label == "2026-02"
    assert card.score.before == pytest.approx(0.95) and card.score.now is None


async def test_without_a_code_a_supervisor_is_told_how_to_ask(league: League) -> None:
    usage = await league.card(STREET_SUPERVISOR)
    assert isinstance(usage, GridUsage)
    assert [g.code for g in usage.examples] == ["DL-WX-LY-01", "DL-WX-LY-02", "DL-WX-ZB-01"]
    several = await league.card(SECRETARY)  # secretary of a community: two grids
    assert isinstance(several, GridUsage)
    assert [g.code for g in several.examples] == ["DL-WX-LY-01", "DL-WX-LY-02"]


@pytest.mark.parametrize("who", [RESIDENT, WORKER])
async def test_residents_and_workers_are_refused_before_anything_is_read(
    league: League, who: int
) -> None:
    league.ctx, opened = reads_nothing(league.ctx)
    with pytest.raises(PermissionDenied) as refused:
        await league.card(who, LY1)
    assert refused.value.details["action"] == "view_grid_card" and opened == []


async def test_a_leader_is_refused_another_grid_and_codes_that_are_no_grid(
    league: League,
) -> None:
    league.ctx, opened = reads_nothing(league.ctx)
    with pytest.raises(PermissionDenied):
        await league.card(OTHER_LEADER, LY1)  # 刘洋 leads DL-WX-LY-02
    with pytest.raises(UnknownUnit) as unknown:
        await league.card(STREET_SUPERVISOR, "DL-WX-XX-99")
    assert unknown.value.details == {"unit": "DL-WX-XX-99", "card": True}
    with pytest.raises(UnknownUnit) as community:
        await league.card(STREET_SUPERVISOR, "DL-WX-LY")
    assert community.value.details["level"] == "community"
    with pytest.raises(UnknownUnit):
        await league.card(STREET_SUPERVISOR, grid_id=999_999)
    assert opened == []


async def test_a_supervisor_is_refused_a_grid_outside_their_units(league: League) -> None:
    async with league.db.uow() as uow:
        await uow.org.save_unit(OrgUnit("DL-HP", "和平街道", UnitLevel.STREET, "DL"))
        await uow.org.save_unit(OrgUnit("DL-HP-A", "和平社区", UnitLevel.COMMUNITY, "DL-HP"))
        grid = OrgUnit(
            "DL-HP-A-01", "和平第一网格", UnitLevel.GRID, "DL-HP-A", GridKind.RESIDENTIAL
        )
        await uow.org.save_unit(grid)
        await uow.commit()
    league.ctx, opened = reads_nothing(league.ctx)

    with pytest.raises(PermissionDenied):
        await league.card(STREET_SUPERVISOR, "DL-HP-A-01")
    assert opened == []
    assert (await league.grid_card(DISTRICT_SUPERVISOR, "DL-HP-A-01")).team == ()
