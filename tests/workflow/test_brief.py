"""The morning brief: one message to each person with something to do today, nothing to
anyone else, at the set local time every day; late ones are not sent late."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

from gridbot.domain.case import RatingValue
from gridbot.domain.messaging import DueKind
from gridbot.services.brief import ensure_morning_brief
from gridbot.services.context import Timing

from .conftest import LEADER, NEIGHBOUR_WORKER, RESIDENT, TZ, WORKER, Desk

BRIEF = "早上好！今天的待办"


async def briefs(desk: Desk, telegram_id: int) -> list[str]:
    return [t for t in await desk.texts(telegram_id) if BRIEF in t]


async def test_the_brief_lists_what_is_overdue_due_today_and_to_visit(desk: Desk) -> None:
    desk.clock.at = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)
    overdue = await desk.report()  # to accept within 2 hours: overdue by tomorrow
    closed = await desk.resolved()
    await desk.rate(RESIDENT, closed.id, RatingValue.SATISFIED)  # a visit in 3 days
    desk.clock.at = datetime(2026, 3, 5, 7, 0, tzinfo=TZ)
    today = await desk.report()  # reported at 07:00: to accept by 09:00 today
    assert await ensure_morning_brief(desk.ctx)

    desk.clock.at = datetime(2026, 3, 5, 8, 0, tzinfo=TZ)
    await desk.tick()

    (brief,) = await briefs(desk, WORKER)
    assert "已超时：1 件" in brief and overdue.number in brief
    assert "今日到期：1 件" in brief and today.number in brief and "09:00 前" in brief
    assert "回访：1 件" in brief and closed.number in brief
    assert brief.index(overdue.number) < brief.index(today.number) < brief.rindex(closed.number)
    # Nobody with nothing to do hears anything.
    assert await briefs(desk, NEIGHBOUR_WORKER) == []
    assert await briefs(desk, LEADER) == []
    (tomorrow,) = await desk.due(DueKind.MORNING_BRIEF)
    assert tomorrow.due_at == datetime(2026, 3, 6, 8, 0, tzinfo=TZ)


async def test_a_brief_long_past_its_time_is_not_sent_and_tomorrows_is_kept(desk: Desk) -> None:
    await desk.report()
    desk.clock.at = datetime(2026, 3, 4, 7, 0, tzinfo=TZ)
    assert await ensure_morning_brief(desk.ctx)

    desk.clock.at = datetime(2026, 3, 4, 13, 0, tzinfo=TZ)  # the bot was down all morning
    await desk.tick()

    assert await briefs(desk, WORKER) == []
    (tomorrow,) = await desk.due(DueKind.MORNING_BRIEF)
    assert tomorrow.due_at == datetime(2026, 3, 5, 8, 0, tzinfo=TZ)


async def test_the_chain_is_started_once_and_follows_the_set_time(desk: Desk) -> None:
    assert await ensure_morning_brief(desk.ctx)
    assert not await ensure_morning_brief(desk.ctx)  # a second process, or a restart
    assert [i.ref for i in await desk.due(DueKind.MORNING_BRIEF)] == ["08:00"]

    desk.ctx = replace(desk.ctx, timing=Timing(brief_at=time(7, 30)))
    assert await ensure_morning_brief(desk.ctx)
    assert [i.ref for i in await desk.due(DueKind.MORNING_BRIEF)] == ["07:30"]

    desk.ctx = replace(desk.ctx, timing=Timing(brief_at=None))  # turned off
    assert not await ensure_morning_brief(desk.ctx)
    assert await desk.due(DueKind.MORNING_BRIEF) == []
    desk.clock.advance(days=1)
    await desk.tick()
    assert await briefs(desk, WORKER) == []


async def test_a_brief_lists_ten_of_a_kind_and_counts_the_rest(desk: Desk) -> None:
    desk.clock.at = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)
    for _ in range(12):
        await desk.report()
        desk.clock.advance(minutes=15)  # within the hourly limit of reports
    desk.clock.at = datetime(2026, 3, 3, 7, 59, tzinfo=TZ)
    await ensure_morning_brief(desk.ctx)
    desk.clock.advance(minutes=1)
    await desk.tick()

    (brief,) = await briefs(desk, WORKER)
    assert "已超时：12 件" in brief and "……另有 2 项" in brief
    assert sum(line.startswith("2026-") for line in brief.splitlines()) == 10
    assert len(brief) < 4096
