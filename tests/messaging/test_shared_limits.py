"""Telegram's limits kept in Redis: two processes' senders count together."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time

import pytest
from redis.asyncio import Redis

from gridbot.bot.send_limits import Rates, Ticket
from gridbot.bot.shared_limits import RedisLimits
from gridbot.domain.messaging import ChatKind

from .helpers import until

PRIVATE, GROUP = ChatKind.PRIVATE, ChatKind.GROUP
BOT_ID = 4242


def two(redis: Redis, rates: Rates) -> tuple[RedisLimits, RedisLimits]:
    """The limits of two processes of one bot."""
    return RedisLimits(redis, BOT_ID, "one", rates), RedisLimits(redis, BOT_ID, "two", rates)


async def call(
    limits: RedisLimits, chat_id: int, kind: ChatKind = PRIVATE, latency: float = 0.005
) -> tuple[float, float]:
    """A call through ``limits``: when it was admitted and when its answer came."""
    ticket = await limits.admit(chat_id, kind)
    admitted = time.monotonic()
    await asyncio.sleep(latency)  # the Bot API answering
    answered = time.monotonic()
    await limits.answered(ticket)
    return admitted, answered


async def test_a_private_chat_keeps_its_interval_whichever_process_calls(redis: Redis) -> None:
    one, two_ = two(redis, Rates(global_rate=1000, private_interval=0.2))
    calls = [await call(limits, 7) for limits in (one, two_, one, two_)]
    for (_, answered), (admitted, _) in itertools.pairwise(calls):
        assert admitted - answered >= 0.2 - 0.002  # Redis counts in milliseconds


async def test_a_slow_answer_still_starts_the_chats_interval(redis: Redis) -> None:
    one, two_ = two(redis, Rates(global_rate=1000, private_interval=0.2))
    _, answered = await call(one, 7, latency=0.5)  # longer than the chat's window
    admitted, _ = await call(two_, 7)
    assert admitted - answered >= 0.2 - 0.002


async def test_a_call_of_a_process_that_died_holds_its_chat_for_its_window_only(
    redis: Redis,
) -> None:
    dead, alive = two(redis, Rates(global_rate=1000, private_interval=0.2))
    await dead.admit(7, PRIVATE)  # and never answered: the process was killed mid-call
    admitted_dead = time.monotonic()
    async with asyncio.timeout(5):  # not the bot-wide in-flight hold (10 s)
        await alive.admit(7, PRIVATE)
    assert time.monotonic() - admitted_dead >= 0.2 - 0.002


async def test_a_group_gets_no_more_than_its_limit_in_any_window_from_both(
    redis: Redis,
) -> None:
    one, two_ = two(redis, Rates(global_rate=1000, group_per_minute=3, group_window=0.4))
    calls = await asyncio.gather(*(call((one, two_)[n % 2], -5, GROUP) for n in range(9)))
    assert_at_most(calls, 3, 0.4)


async def test_the_bot_wide_rate_holds_across_processes(redis: Redis) -> None:
    one, two_ = two(redis, Rates(global_rate=8, private_interval=0.0))
    calls = await asyncio.gather(*(call((one, two_)[n % 2], 100 + n) for n in range(20)))
    # A call counts from its admission until a second after its answer: then at no
    # moment may more than eight be counted, whichever process made them.
    assert_at_most(calls, 8, 1.0)


def assert_at_most(calls: list[tuple[float, float]], limit: int, window: float) -> None:
    """At no moment more than ``limit`` calls between admission and answer + ``window``.
    Measured here, each span lies within the one Redis counted (admitted after Redis
    admitted it, answered before Redis heard), so the check cannot be stricter than Redis."""
    for admitted, _ in calls:
        counted = [a for a, answered in calls if a <= admitted < answered + window]
        assert len(counted) <= limit


async def test_a_flooded_chat_waits_in_every_process_and_others_go_first(redis: Redis) -> None:
    one, two_ = two(redis, Rates(global_rate=1000, private_interval=0.0, flood_chats=5))
    await one.flooded(7, 0.3)
    flooded_at = time.monotonic()
    order: list[int] = []

    async def admit(chat_id: int) -> float:
        await two_.answered(await two_.admit(chat_id, PRIVATE))
        order.append(chat_id)
        return time.monotonic()

    waited, _ = await asyncio.gather(admit(7), admit(8))
    assert order == [8, 7]
    assert waited - flooded_at >= 0.3 - 0.002


async def test_floods_in_several_chats_pause_every_chat_of_every_process(redis: Redis) -> None:
    one, two_ = two(redis, Rates(global_rate=1000, private_interval=0.0, flood_chats=2))
    await one.flooded(7, 0.3)
    await one.flooded(8, 0.3)  # two chats refused at once: the bot-wide limit
    flooded_at = time.monotonic()
    await two_.admit(9, PRIVATE)
    assert time.monotonic() - flooded_at >= 0.3 - 0.002


async def test_a_migrated_group_keeps_its_window(redis: Redis) -> None:
    one, two_ = two(redis, Rates(global_rate=1000, group_per_minute=1, group_window=0.3))
    _, answered = await call(one, -5, GROUP)
    await one.moved(-5, -1005)
    next_admitted, _ = await call(two_, -1005, GROUP)
    assert next_admitted - answered >= 0.3 - 0.002


async def test_without_redis_delivery_waits_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    gone = Redis.from_url("redis://127.0.0.1:1/0")  # nothing listens there
    limits = RedisLimits(gone, BOT_ID, "one", Rates())
    caplog.set_level(logging.WARNING, "gridbot.bot.shared_limits")
    admitting = asyncio.create_task(limits.admit(7, PRIVATE))
    try:
        await until(lambda: "Redis unreachable" in caplog.text)
        assert not admitting.done()  # not sent without limits, not failed either
    finally:
        admitting.cancel()
        await gone.aclose()
    # A record that cannot be made is logged and dropped: delivery carries on.
    await limits.answered(Ticket(7, "one:1"))
    assert "refused a record" in caplog.text
