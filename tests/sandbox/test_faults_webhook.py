"""Faults on demand, and webhook delivery with the secret header."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiohttp import web

from .conftest import Person


async def test_a_429_fault_carries_retry_after(bot: Bot, person: Person) -> None:
    await person.post("message", text="/start", user_id=3)
    await person.post("fault", method="sendMessage", code=429, retry_after=7, times=1)
    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(3, "one")
    assert refused.value.retry_after == 7
    assert "Too Many Requests: retry after 7" in str(refused.value)
    assert (await bot.send_message(3, "again")).text == "again"  # only `times` calls fail
    [failed, passed] = await person.get("outbox", method="sendMessage")
    assert not failed["ok"] and failed["error"] == "Too Many Requests: retry after 7"
    assert passed["ok"]


async def test_a_500_fault_is_a_server_error_for_any_method(bot: Bot, person: Person) -> None:
    await person.post("fault", method="*", code=500, times=2)
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.get_me()
    assert (await bot.get_me()).is_bot


async def test_a_slow_answer_fault_delays_the_call(bot: Bot, person: Person) -> None:
    await person.post("fault", method="getMe", delay=0.5)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert (await bot.get_me()).is_bot
    assert loop.time() - started >= 0.5


async def receiver(received: list[tuple[str | None, Any]], fail_first: int) -> web.AppRunner:
    failures = [fail_first]

    async def on_update(request: web.Request) -> web.Response:
        if failures[0] > 0:
            failures[0] -= 1
            return web.Response(status=502)
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response(text="")

    app = web.Application()
    app.router.add_post("/hook", on_update)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


async def test_a_webhook_gets_updates_in_order_with_the_secret_retrying_failures(
    bot: Bot, person: Person
) -> None:
    received: list[tuple[str | None, Any]] = []
    runner = await receiver(received, fail_first=2)
    port = runner.addresses[0][1]
    try:
        await person.post("message", text="before", user_id=4)
        await bot.set_webhook(
            f"http://127.0.0.1:{port}/hook", secret_token="s3cret", drop_pending_updates=True
        )
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()
        for n in range(3):
            await person.post("message", text=f"m{n}", user_id=4)
        for _ in range(100):
            if len(received) == 3:
                break
            await asyncio.sleep(0.05)
        assert [s for s, _ in received] == ["s3cret"] * 3
        assert [u["message"]["text"] for _, u in received] == ["m0", "m1", "m2"]
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 0
        assert info.last_error_message and "502" in info.last_error_message
        await bot.delete_webhook()
        assert (await bot.get_webhook_info()).url == ""
    finally:
        await runner.cleanup()
