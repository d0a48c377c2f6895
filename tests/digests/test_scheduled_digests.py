"""Scheduled digests: each community with residents' groups bound under it and anything in
the period reports to those groups — weekly on Monday at 09:00 for the week before, monthly
on the 1st for the month before — once, whatever restarts happen, never in the residents'
quiet hours and never to a workers' group; the schedules follow GRIDBOT_DIGESTS."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

from gridbot.bot.templating import Renderer
from gridbot.domain.deadlines import QuietHours
from gridbot.domain.digests import DigestSource
from gridbot.domain.messaging import DueKind
from gridbot.services.context import Timing
from gridbot.services.digests import ensure_digests
from gridbot.services.notices import Notices

from .conftest import (
    B03_GROUP,
    B05_GROUP,
    LEFT_GROUP,
    LY02_GROUP,
    PARK_GROUP,
    TZ,
    WORKER_GROUP,
    ZB_GROUP,
    Town,
)

LY_GROUPS = (B03_GROUP, B05_GROUP, LY02_GROUP)
MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=TZ)


async def posts(town: Town, chat: int) -> list[str]:
    """The digests posted in ``chat`` (a workers' group also gets its cases' lines)."""
    texts = [str(m.params.get("text")) for m in await town.group_posts(chat)]
    return [text for text in texts if "向群众汇报" in text]


async def a_week_on_the_first_grid(town: Town) -> None:
    """Monday 2 March: two cases on 临月里第一网格, one resolved; groups bound everywhere."""
    await town.bind_groups()
    await town.resolved()
    await town.report(2002, text="5号楼楼道灯坏了", category_code="repair")


async def test_the_chains_start_once_at_the_next_monday_and_the_next_first(town: Town) -> None:
    assert await ensure_digests(town.ctx) == 2
    assert await ensure_digests(town.ctx) == 0  # a second process, or a restart

    items = {i.ref: i.due_at for i in await town.due(DueKind.DIGEST)}
    assert items == {"weekly": MONDAY, "monthly": datetime(2026, 4, 1, 9, 0, tzinfo=TZ)}


async def test_the_weekly_digest_goes_to_the_communitys_residents_groups_on_monday(
    town: Town,
) -> None:
    await a_week_on_the_first_grid(town)
    await ensure_digests(town.ctx)
    town.clock.at = MONDAY.replace(hour=8, minute=59)
    await town.tick()
    assert [await posts(town, chat) for chat in LY_GROUPS] == [[], [], []]  # not yet

    town.clock.at = MONDAY
    await town.tick()

    texts = [await posts(town, chat) for chat in LY_GROUPS]
    assert all(len(found) == 1 for found in texts)
    (text,) = texts[0]
    assert "临月里社区 向群众汇报" in text and "2026-03-02 至 2026-03-08" in text
    assert "受理群众诉求 2 件 · 已办结 1 件" in text and "截至" not in text
    # 詹滨里 had nothing: no digest; workers' groups and unbound groups never get one.
    for chat in (ZB_GROUP, PARK_GROUP, WORKER_GROUP, LEFT_GROUP):
        assert await posts(town, chat) == []
    (record,) = await town.records()
    assert (record.source, record.period_label, record.published_by) == ("weekly", "2026-W10", None)
    assert record.prepared_at == MONDAY and record.groups == 3
    items = {i.ref: i.due_at for i in await town.due(DueKind.DIGEST)}
    assert items["weekly"] == datetime(2026, 3, 16, 9, 0, tzinfo=TZ)


async def test_a_restart_after_the_weekly_digest_sends_nothing_twice(town: Town) -> None:
    await a_week_on_the_first_grid(town)
    await ensure_digests(town.ctx)
    town.clock.at = MONDAY
    await town.tick()

    assert await ensure_digests(town.ctx) == 0  # the restart: both chains are pending
    town.clock.advance(minutes=2)
    await town.tick()

    assert [len(await posts(town, chat)) for chat in LY_GROUPS] == [1, 1, 1]
    assert len(await town.records()) == 1


async def test_the_monthly_digest_reports_the_month_before_on_the_first(town: Town) -> None:
    await a_week_on_the_first_grid(town)
    await ensure_digests(town.ctx)
    # The bot was down for weeks: the Monday run long past is skipped, the 1st's is not.
    town.clock.at = datetime(2026, 4, 1, 9, 0, tzinfo=TZ)
    await town.tick()

    (text,) = await posts(town, B03_GROUP)
    assert "2026-03" in text and "受理群众诉求 2 件" in text
    assert [r.source for r in await town.records()] == [DigestSource.MONTHLY]
    items = {i.ref: i.due_at for i in await town.due(DueKind.DIGEST)}
    assert items == {
        "weekly": datetime(2026, 4, 6, 9, 0, tzinfo=TZ),
        "monthly": datetime(2026, 5, 1, 9, 0, tzinfo=TZ),
    }


async def test_a_digest_never_lands_in_the_residents_quiet_hours(town: Town) -> None:
    await a_week_on_the_first_grid(town)
    late_mornings = QuietHours(time(21), time(10))
    notices = Notices(Renderer(), town.clock, TZ, quiet=late_mornings)
    town.ctx = replace(town.ctx, notices=notices)
    await ensure_digests(town.ctx)
    town.clock.at = MONDAY
    await town.tick()

    (message,) = [m for m in await town.group_posts(B03_GROUP) if "向群众汇报" in m.params["text"]]
    assert message.not_before == datetime(2026, 3, 9, 10, 0, tzinfo=TZ)


async def test_digests_turned_off_end_their_chains(town: Town) -> None:
    await a_week_on_the_first_grid(town)
    await ensure_digests(town.ctx)
    town.ctx = replace(town.ctx, timing=Timing(digests=frozenset({DigestSource.MONTHLY})))
    assert await ensure_digests(town.ctx) == 0
    assert [i.ref for i in await town.due(DueKind.DIGEST)] == ["monthly"]

    town.ctx = replace(town.ctx, timing=Timing(digests=frozenset()))
    town.clock.at = MONDAY
    await town.tick()  # an item left pending by an older process ends its chain

    town.clock.at = datetime(2026, 4, 1, 9, 0, tzinfo=TZ)
    await town.tick()

    assert await posts(town, B03_GROUP) == [] and await town.records() == []
    assert await town.due(DueKind.DIGEST) == []
