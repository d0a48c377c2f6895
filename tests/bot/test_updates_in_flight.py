"""UpdatesInFlight: the count of updates being handled, and draining them on stop."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Dispatcher

from gridbot.bot.middlewares import UpdatesInFlight


async def test_the_count_follows_handlers_and_drain_waits_for_the_last_one() -> None:
    in_flight, gates = UpdatesInFlight(), [asyncio.Event(), asyncio.Event()]

    def handler(gate: asyncio.Event) -> Any:
        async def handle(event: object, data: dict[str, Any]) -> str:
            await gate.wait()
            return "done"

        return handle

    running = [asyncio.create_task(in_flight(handler(g), object(), {})) for g in gates]  # type: ignore[arg-type]
    await asyncio.sleep(0)
    assert in_flight.count == 2
    draining = asyncio.create_task(in_flight.drain(5))
    gates[0].set()
    await asyncio.sleep(0.05)
    assert in_flight.count == 1 and not draining.done()
    gates[1].set()
    assert await draining is True
    assert in_flight.count == 0
    assert [await r for r in running] == ["done", "done"]


async def test_a_failing_handler_is_counted_out_too() -> None:
    in_flight = UpdatesInFlight()

    async def broken(event: object, data: dict[str, Any]) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await in_flight(broken, object(), {})  # type: ignore[arg-type]
    assert in_flight.count == 0
    assert await in_flight.drain(0.01) is True


async def test_drain_gives_up_after_the_timeout_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    in_flight = UpdatesInFlight()

    async def stuck(event: object, data: dict[str, Any]) -> None:
        await asyncio.Event().wait()

    task = asyncio.create_task(in_flight(stuck, object(), {}))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    assert await in_flight.drain(0.05) is False
    assert "1 update(s) still being handled" in caplog.text
    task.cancel()


def test_it_is_the_outermost_middleware_on_updates() -> None:
    dispatcher = Dispatcher()
    before = list(dispatcher.update.outer_middleware)
    assert before  # aiogram's own: errors, user context, FSM and its per-user lock
    in_flight = UpdatesInFlight()
    in_flight.attach(dispatcher)
    assert list(dispatcher.update.outer_middleware) == [in_flight, *before]
