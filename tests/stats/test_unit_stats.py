"""/stats as a use case over the demo org: who may read which unit (refused before anything
is read), the default unit and period, the unit above offered only within the reader's
scope, and figures that follow the cases as the real use cases move them.

1022 宋涛 supervises 万新街道 DL-WX; 1023 唐海 the district DL; 1001 张伟 is a grid worker,
2001 李桂兰 a resident, 1024 韩冰 the administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from demo_town import DemoTown
from gridbot.domain.case import CaseKind, RatingValue
from gridbot.domain.errors import NotBound, PermissionDenied, UnknownUnit, ValidationFailed
from gridbot.services.context import Context
from gridbot.services.ports import UnitOfWork
from gridbot.services.reports import NewReport, submit_report
from gridbot.services.stats import StatsOf, UnitStats, supervised_units, unit_stats
from gridbot.services.workflow import (
    AcceptCase,
    ResolveCase,
    UrgeCase,
    accept_case,
    resolve_case,
    urge_case,
)
from gridbot.storage.database import Database

STREET_SUPERVISOR, DISTRICT_SUPERVISOR = 1022, 1023
WORKER, LEADER, RESIDENT, ADMIN = 1001, 1002, 2001, 1024


class Town(DemoTown):
    async def stats(self, telegram_id: int, *args: Any, **kw: Any) -> UnitStats:
        return await unit_stats(StatsOf(await self.actor(telegram_id), *args, **kw), self.ctx)

    async def report(self, text: str = "3号楼门口垃圾堆了三天没人清理") -> int:
        actor = await self.actor(RESIDENT)
        case = await submit_report(NewReport(actor, CaseKind.ISSUE, "env", text), self.ctx)
        assert case.id is not None
        return case.id

    async def act(self, use_case: Callable[..., Any], command: Any, who: int, *args: Any) -> None:
        await use_case(command(await self.actor(who), *args), self.ctx)


@pytest.fixture
async def town(database: Database) -> Town:
    return await Town.demo(database)


def reads_nothing(ctx: Context) -> tuple[Context, list[int]]:
    """The context with a reading unit of work that counts being opened."""
    opened: list[int] = []

    def reading() -> UnitOfWork:
        opened.append(1)
        return ctx.reading()

    return replace(ctx, reading=reading), opened


async def test_a_supervisor_reads_their_own_unit_over_this_month_by_default(town: Town) -> None:
    stats = await town.stats(STREET_SUPERVISOR)

    assert stats.unit.code == "DL-WX" and stats.period.label == "2026-03"
    assert stats.period.kind == "month" and stats.now == town.clock.now()
    assert [c.unit.code for c in stats.children] == ["DL-WX-LY", "DL-WX-ZB"]
    assert stats.parent is None  # the district is not theirs to read
    assert stats.figures.counts.received == 0 and stats.figures.resolution_rate is None


async def test_a_district_supervisor_drills_down_and_is_offered_the_way_back(town: Town) -> None:
    district = await town.stats(DISTRICT_SUPERVISOR)
    assert district.unit.code == "DL" and district.parent is None
    assert [c.unit.code for c in district.children] == ["DL-WX"]

    street = await town.stats(DISTRICT_SUPERVISOR, "week", unit_id=district.children[0].unit.id)
    assert street.unit.code == "DL-WX" and street.parent is not None
    assert street.parent.code == "DL" and street.period.label == "2026-W10"

    grid = await town.stats(DISTRICT_SUPERVISOR, "today", "DL-WX-LY-01")
    assert grid.children == () and grid.parent is not None and grid.parent.code == "DL-WX-LY"
    assert grid.period.label == "2026-03-02"


@pytest.mark.parametrize("who", [WORKER, LEADER, RESIDENT, ADMIN])
async def test_anyone_but_a_supervisor_is_refused_before_anything_is_read(
    town: Town, who: int
) -> None:
    ctx, opened = reads_nothing(town.ctx)
    for period in (None, "no such period"):
        with pytest.raises(PermissionDenied) as refused:
            await unit_stats(StatsOf(await town.actor(who), period, "DL-WX-LY-01"), ctx)
        assert refused.value.details["action"] == "view_stats"
    assert opened == []


async def test_a_unit_outside_the_supervisors_scope_is_refused_before_anything_is_read(
    town: Town,
) -> None:
    ctx, opened = reads_nothing(town.ctx)
    actor = await town.actor(STREET_SUPERVISOR)
    assert actor is not None
    district = actor.tree.get("DL")
    for command in (StatsOf(actor, None, "DL"), StatsOf(actor, "month", unit_id=district.id)):
        with pytest.raises(PermissionDenied):
            await unit_stats(command, ctx)
    assert opened == []


async def test_a_stranger_an_unknown_unit_and_a_bad_period_are_refused(town: Town) -> None:
    with pytest.raises(NotBound):
        await unit_stats(StatsOf(None), town.ctx)
    with pytest.raises(UnknownUnit):
        await town.stats(STREET_SUPERVISOR, None, "DL-XX")
    with pytest.raises(UnknownUnit):
        await town.stats(STREET_SUPERVISOR, None, unit_id=999_999)
    with pytest.raises(ValidationFailed) as bad:
        await town.stats(STREET_SUPERVISOR, "2026-13")
    assert bad.value.details["code"] == "period"


async def test_the_highest_supervised_unit_is_the_default(town: Town) -> None:
    actor = await town.actor(DISTRICT_SUPERVISOR)
    assert actor is not None
    actor.staff.roles.insert(0, replace(actor.staff.roles[0], unit_code="DL-WX-LY"))
    assert [u.code for u in supervised_units(actor)] == ["DL", "DL-WX-LY"]
    stats = await unit_stats(StatsOf(actor), town.ctx)
    assert stats.unit.code == "DL"


async def test_the_figures_follow_the_cases_as_they_are_handled(town: Town) -> None:
    first = await town.report()
    second = await town.report("5号楼路灯坏了")  # nobody takes it up
    town.clock.advance(minutes=20)
    await town.act(accept_case, AcceptCase, WORKER, first)
    town.clock.advance(hours=1)
    await town.act(resolve_case, ResolveCase, WORKER, first, "已清理")
    await town.rate(RESIDENT, first, RatingValue.UNSATISFIED, "还是很脏")
    await town.act(resolve_case, ResolveCase, WORKER, first, "又清理了一遍")
    await town.rate(RESIDENT, first, RatingValue.SATISFIED)
    town.clock.advance(hours=2)  # the second case's response deadline (2 h) has passed
    await town.act(urge_case, UrgeCase, STREET_SUPERVISOR, second)

    stats = await town.stats(STREET_SUPERVISOR, "today")

    c = stats.figures.counts
    assert (c.received, c.accepted, c.resolved, c.closed, c.open, c.overdue) == (2, 1, 1, 1, 1, 1)
    assert (c.response_due, c.responded_on_time) == (2, 1)
    assert (c.satisfied, c.unsatisfied, c.reopened, c.closed_in_grid) == (1, 0, 1, 1)
    assert stats.figures.median_response == timedelta(minutes=20)
    assert stats.figures.median_resolution == timedelta(hours=1, minutes=20)
    assert stats.urges == 1
    assert [(c.code, c.figures.counts.received) for c in stats.by_category] == [("env", 2)]
    assert [(c.unit.code, c.figures.counts.received) for c in stats.children] == [
        ("DL-WX-LY", 2),
        ("DL-WX-ZB", 0),
    ]
    other = await town.stats(STREET_SUPERVISOR, "today", "DL-WX-ZB")
    assert other.figures.counts.received == 0 and other.urges == 0
