"""The global limit as Telegram counts it: never more than 30 calls in any second."""

from __future__ import annotations

from typing import Any

from gridbot.bot.outbox_sender import OutboxSender

from .fakes import FakeBot, FakeClock, Store, uow_factory
from .helpers import max_in_window, seed


def make_sender(store: Store, bot: FakeBot, **options: Any) -> OutboxSender:
    settings: dict[str, Any] = {"private_interval": 0.0, "poll_interval": 0.01, "batch": 200}
    return OutboxSender(bot, uow_factory(store), FakeClock(), **(settings | options))  # type: ignore[arg-type]


async def test_no_second_holds_more_than_the_global_rate() -> None:
    # The bot records a call when it "reaches Telegram", after the latency: a bucket
    # leaking 30 a second with room for a burst let 32 or more into the first second.
    store, bot = Store(), FakeBot(latency=0.02)
    await seed(uow_factory(store), FakeClock(), range(1, 46), 1)
    await make_sender(store, bot, global_rate=30).deliver_once()
    times = [call.at for call in bot.calls]
    assert len(times) == 45
    assert max_in_window(times, 1.0) == 30
    # The 31st waited for a second after the answer to the first.
    assert times[30] - times[0] >= 1.0 + 0.02


async def test_calls_in_flight_count_before_their_answer() -> None:
    # Answers slower than the window: the 4th call waits for the 1st answer, plus 1 s.
    store, bot = Store(), FakeBot(latency=0.3)
    await seed(uow_factory(store), FakeClock(), range(1, 6), 1)
    await make_sender(store, bot, global_rate=3).deliver_once()
    times = sorted(call.at for call in bot.calls)
    assert len(times) == 5
    assert max_in_window(times, 1.0) <= 3
    assert times[3] - times[0] >= 1.0 + 0.3 - 0.01
