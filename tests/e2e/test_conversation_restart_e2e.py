"""A report in progress survives restarts (deploys): the conversation's step and draft are in
the bot's database (or in Redis when REDIS_URL is set), not in the memory of the process
that is stopped. Each restart stops the bot and starts a new Dispatcher with a new storage
object on the same database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from gridbot.storage.rows import ConversationRow

from .flows import RESIDENT, cases_of, describe
from .harness import World, start_world

EXPIRED = ("已失效", "已过期", "expired")


@pytest.fixture
async def redis_world(
    db_file: Path,
    personas: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    redis_url: str,
) -> AsyncIterator[World]:
    """The world with REDIS_URL set (the bot's settings read it from the environment)."""
    url = redis_url
    redis = Redis.from_url(url)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()
    monkeypatch.setenv("REDIS_URL", url)
    async with start_world(db_file, personas) as world:
        yield world


async def stored_conversations(world: World) -> int:
    async with world.database.reader() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(ConversationRow))
    return int(count or 0)


async def report_across_two_restarts(world: World, *, rows_mid_report: int) -> None:
    """/report, a category and a description; restart; the photo and place steps and the
    summary card; restart; 提交: the case exists once, and nothing said "expired".
    ``rows_mid_report``: the conversations the database holds before the first restart."""
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await resident.send("/report")
    await chat.wait_for(lambda t: "请选择类别" in t)
    await describe(resident, "环境卫生", "5号楼楼道里堆满了纸箱，挡住了消防通道")
    assert await stored_conversations(world) == rows_mid_report

    await world.restart()  # mid-report: asked for photos
    await resident.tap("跳过")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.send("跳过")
    await resident.tap("不公开：仅本人和网格团队可见")
    summary = await chat.wait_for(lambda t: "请核对您的反映" in t)
    assert "5号楼楼道" in summary

    await world.restart()  # the summary card is on screen, 提交 not yet tapped
    await resident.tap("提交")
    await chat.wait_for(lambda t: "✅ 已提交" in t)
    answer = await chat.wait_for(lambda t: "已登记" in t)

    [case] = await cases_of(world, RESIDENT)
    assert case.number in answer and case.category_code == "env"
    assert case.text == "5号楼楼道里堆满了纸箱，挡住了消防通道"
    await world.settle()
    transcript = await chat.transcript()
    assert not any(word in transcript for word in EXPIRED), transcript
    numbered = [m for m in await chat.bot_messages() if case.number in (m.get("text") or "")]
    assert len(numbered) == 1


async def test_a_resident_finishes_a_report_begun_before_two_restarts(world: World) -> None:
    await report_across_two_restarts(world, rows_mid_report=1)
    assert await stored_conversations(world) == 0  # the finished conversation left no row


async def test_with_redis_the_report_survives_restarts_too_and_the_database_holds_none(
    redis_world: World,
) -> None:
    await report_across_two_restarts(redis_world, rows_mid_report=0)
    assert await stored_conversations(redis_world) == 0
