from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
    TelegramServerError,
)

from gridbot.bot.outbox_sender import OutboxSender
from gridbot.domain.messaging import ChatKind, OutboxStatus
from gridbot.domain.org import Person

from .fakes import FakeBot, FakeClock, FakeUnitOfWork, Store, fail_times, uow_factory
from .helpers import max_in_window, min_gap, seed, until

GROUP = ChatKind.GROUP


def make_sender(store: Store, bot: FakeBot, **options: Any) -> OutboxSender:
    settings: dict[str, Any] = {
        "global_rate": 1000,
        "private_interval": 0.0,
        "backoff_base": 0.01,
        "poll_interval": 0.01,
    }
    return OutboxSender(bot, uow_factory(store), FakeClock(), **(settings | options))  # type: ignore[arg-type]


def statuses(store: Store) -> list[str]:
    return [m.status.value for m in store.outbox.values()]


async def test_a_group_never_gets_more_than_its_limit_in_any_window() -> None:
    store, bot = Store(), FakeBot()
    await seed(uow_factory(store), FakeClock(), [-1], 7, GROUP)
    sender = make_sender(store, bot, group_per_minute=3, group_window=0.3)
    assert await sender.deliver_once() == 7
    times = [c.at for c in bot.calls]
    assert len(times) == 7
    assert max_in_window(times, 0.3) == 3
    assert times[3] - times[0] >= 0.3  # the 4th waited for the 1st to leave the window


async def test_private_chats_are_spaced_by_the_interval() -> None:
    store, bot = Store(), FakeBot()
    await seed(uow_factory(store), FakeClock(), [5], 4)
    await make_sender(store, bot, private_interval=0.1).deliver_once()
    assert min_gap([c.at for c in bot.calls]) >= 0.1


async def test_the_real_one_second_private_spacing() -> None:
    store, bot = Store(), FakeBot()
    await seed(uow_factory(store), FakeClock(), [5], 2)
    await make_sender(store, bot, private_interval=1.0).deliver_once()
    assert min_gap([c.at for c in bot.calls]) >= 1.0


async def test_the_global_rate_caps_calls_across_all_chats() -> None:
    store, bot = Store(), FakeBot()
    await seed(uow_factory(store), FakeClock(), range(1, 121), 1)
    started = time.monotonic()
    await make_sender(store, bot, global_rate=200, batch=200).deliver_once()
    assert len(bot.calls) == 120
    # A leaky bucket of capacity rate/10: at most 20 at once, then 200 per second.
    assert time.monotonic() - started >= (120 - 20) / 200
    assert max_in_window([c.at for c in bot.calls], 0.25) <= 50 + 20


async def test_a_chat_waiting_on_its_limit_does_not_hold_up_the_others() -> None:
    store, bot = Store(), FakeBot()
    await seed(uow_factory(store), FakeClock(), [-1], 4, GROUP)
    await seed(uow_factory(store), FakeClock(), range(1, 11), 2)
    await make_sender(store, bot, group_per_minute=2, group_window=0.5).deliver_once()
    third_group_call = bot.delivered(-1)[2].at
    private_calls = [c.at for c in bot.calls if c.chat_id and c.chat_id > 0]
    assert len(private_calls) == 20
    assert max(private_calls) < third_group_call


async def test_messages_to_one_chat_keep_their_order() -> None:
    store, bot = Store(), FakeBot(latency=0.001)
    await seed(uow_factory(store), FakeClock(), [1, 2, 3], 10)
    await make_sender(store, bot).deliver_once()
    for chat_id in (1, 2, 3):
        texts = [c.params["text"] for c in bot.delivered(chat_id)]
        assert texts == [f"{chat_id}#{n}" for n in range(10)]


async def test_a_sent_row_records_the_time_and_telegram_message_id() -> None:
    store, bot = Store(), FakeBot()
    await seed(uow_factory(store), FakeClock(), [5], 1)
    await make_sender(store, bot).deliver_once()
    (row,) = store.outbox.values()
    assert row.status is OutboxStatus.SENT
    assert (row.message_id, row.attempts, row.sent_at is not None) == (1, 1, True)


async def test_retry_after_pauses_the_chat_and_retries_without_counting_an_attempt() -> None:
    store, bot = Store(), FakeBot()
    bot.faults.append(fail_times(1, lambda m: TelegramRetryAfter(m, "Too Many Requests", 1)))
    await seed(uow_factory(store), FakeClock(), [5], 1)
    await make_sender(store, bot).deliver_once()
    first, second = bot.calls
    assert second.at - first.at >= 1.0
    (row,) = store.outbox.values()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)


async def test_retry_after_in_several_chats_pauses_every_chat() -> None:
    store, bot = Store(), FakeBot()
    bot.faults.append(fail_times(2, lambda m: TelegramRetryAfter(m, "Too Many Requests", 1)))
    await seed(uow_factory(store), FakeClock(), [1, 2, 3], 1)
    await make_sender(store, bot, global_rate=50).deliver_once()
    assert len(bot.calls) == 5
    assert bot.calls[2].at - bot.calls[1].at >= 0.95  # chat 3 waited for the global pause
    assert statuses(store) == ["sent"] * 3


async def test_server_errors_back_off_exponentially_then_succeed() -> None:
    store, bot = Store(), FakeBot()
    bot.faults.append(fail_times(2, lambda m: TelegramServerError(m, "Bad Gateway")))
    await seed(uow_factory(store), FakeClock(), [5], 1)
    await make_sender(store, bot, backoff_base=0.05).deliver_once()
    gaps = [b.at - a.at for a, b in zip(bot.calls, bot.calls[1:], strict=False)]
    assert gaps[0] >= 0.05 and gaps[1] >= 0.1
    (row,) = store.outbox.values()
    assert (row.status, row.attempts, row.not_before is not None) == ("sent", 3, True)
    assert "Bad Gateway" in (row.last_error or "")


async def test_server_errors_give_up_after_max_attempts() -> None:
    store, bot = Store(), FakeBot()
    bot.faults.append(fail_times(99, lambda m: TelegramServerError(m, "Internal")))
    await seed(uow_factory(store), FakeClock(), [5], 1)
    await make_sender(store, bot, max_attempts=3).deliver_once()
    (row,) = store.outbox.values()
    assert (row.status, row.attempts, len(bot.calls)) == ("failed", 3, 3)


async def test_a_blocked_user_is_marked_unreachable_and_blocked() -> None:
    store, bot = Store(), FakeBot()
    store.people[100] = Person(name="王芳", telegram_id=5, id=100)
    bot.faults.append(fail_times(9, lambda m: TelegramForbiddenError(m, "bot was blocked")))
    await seed(uow_factory(store), FakeClock(), [5], 1)
    unreachable: list[int] = []
    await make_sender(store, bot, on_unreachable=unreachable.append).deliver_once()
    assert statuses(store) == ["unreachable"]
    assert store.people[100].blocked_bot is True
    assert unreachable == [5]
    assert len(bot.calls) == 1


async def test_a_group_that_removed_the_bot_is_left_to_the_hook() -> None:
    store, bot = Store(), FakeBot()
    bot.faults.append(fail_times(9, lambda m: TelegramForbiddenError(m, "bot was kicked")))
    await seed(uow_factory(store), FakeClock(), [-7], 1, GROUP)
    unreachable: list[int] = []

    async def on_unreachable(chat_id: int) -> None:
        unreachable.append(chat_id)

    await make_sender(store, bot, on_unreachable=on_unreachable).deliver_once()
    assert statuses(store) == ["unreachable"]
    assert unreachable == [-7]


async def test_a_migrated_group_gets_its_messages_at_the_new_id_in_order() -> None:
    store, bot = Store(), FakeBot()
    bot.faults.append(
        fail_times(1, lambda m: TelegramMigrateToChat(m, "upgraded", -1007), chat_id=-7)
    )
    await seed(uow_factory(store), FakeClock(), [-7], 3, GROUP)
    migrations: list[tuple[int, int]] = []
    sender = make_sender(store, bot, batch=2, on_migrate=lambda *ids: migrations.append(ids))
    assert await sender.deliver_once() == 2
    assert await sender.deliver_once() == 1  # the row beyond the batch was rerouted in storage
    assert migrations == [(-7, -1007)]
    assert [c.chat_id for c in bot.calls] == [-7, -1007, -1007, -1007]
    assert [c.params["text"] for c in bot.calls[1:]] == ["-7#0", "-7#1", "-7#2"]
    assert {m.chat_id for m in store.outbox.values()} == {-1007}
    assert statuses(store) == ["sent"] * 3


async def test_a_bad_request_fails_once_and_the_chat_moves_on() -> None:
    store, bot = Store(), FakeBot()
    bot.faults.append(fail_times(1, lambda m: TelegramBadRequest(m, "can't parse entities")))
    await seed(uow_factory(store), FakeClock(), [5], 2)
    await make_sender(store, bot).deliver_once()
    first, second = sorted(store.outbox.values(), key=lambda m: m.id or 0)
    assert (first.status, first.attempts) == ("failed", 1)
    assert "can't parse entities" in (first.last_error or "")
    assert second.status is OutboxStatus.SENT
    assert len(bot.calls) == 2


async def test_an_unknown_method_fails_without_calling_telegram() -> None:
    store, bot = Store(), FakeBot()
    await seed(uow_factory(store), FakeClock(), [5], 1)
    next(iter(store.outbox.values())).method = "sendTelepathy"
    await make_sender(store, bot).deliver_once()
    assert statuses(store) == ["failed"]
    assert bot.calls == []


async def test_a_sender_killed_mid_call_leaves_the_row_pending_for_the_next_one() -> None:
    store = Store()
    await seed(uow_factory(store), FakeClock(), [5, 6], 1)
    stop = asyncio.Event()
    slow = FakeBot(latency=5)
    task = asyncio.create_task(make_sender(store, slow).run(stop))
    await asyncio.wait_for(slow.started.wait(), 10)  # a call is under way
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert statuses(store) == ["pending", "pending"]
    bot = FakeBot()
    await make_sender(store, bot).deliver_once()
    assert statuses(store) == ["sent", "sent"]


async def test_run_keeps_delivering_new_rows_until_stopped() -> None:
    store, bot = Store(), FakeBot()
    stop = asyncio.Event()
    task = asyncio.create_task(make_sender(store, bot).run(stop))
    await seed(uow_factory(store), FakeClock(), [1, 2], 2)
    async with asyncio.timeout(10):
        while True:
            if statuses(store) == ["sent"] * 4:
                break
            await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 1)
    assert statuses(store) == ["sent"] * 4
    assert len(bot.calls) == 4


async def test_a_sender_stopped_while_recording_a_delivery_finishes_the_write_first() -> None:
    store = Store()
    await seed(uow_factory(store), FakeClock(), [5], 1)
    saving, release = asyncio.Event(), asyncio.Event()

    class SlowToRecord(FakeUnitOfWork):
        async def commit(self) -> None:
            # Writes reach the store at once and are undone unless committed.
            if statuses(self.store) == ["sent"] and not release.is_set():
                saving.set()
                await release.wait()
            await super().commit()

    sender = OutboxSender(
        FakeBot(),  # type: ignore[arg-type]
        lambda: SlowToRecord(store),
        FakeClock(),
        claims=True,
        global_rate=1000,
        poll_interval=0.01,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    await asyncio.wait_for(saving.wait(), 5)
    stop.set()  # the lane is cancelled while its SENT mark is being committed
    await asyncio.sleep(0.1)
    assert not task.done()
    assert next(iter(store.claims.values()))[0] == sender.worker_id
    release.set()
    await asyncio.wait_for(task, 5)
    assert statuses(store) == ["sent"]


async def test_a_starting_sender_keeps_the_spacing_of_what_was_sent_before_it() -> None:
    # A sender (this process before a restart) delivered to chat 5 a moment ago (on the
    # clock the rows use): the new one must wait out the rest of the interval first.
    store, bot, clock = Store(), FakeBot(), FakeClock()
    await seed(uow_factory(store), clock, [5], 2)
    first = min(store.outbox.values(), key=lambda m: m.id or 0)
    first.status, first.sent_at = OutboxStatus.SENT, clock.now() - timedelta(seconds=0.05)
    sender = make_sender(store, bot, private_interval=0.3)
    stop = asyncio.Event()
    started = time.monotonic()
    task = asyncio.create_task(sender.run(stop))
    async with asyncio.timeout(10):
        while True:
            if statuses(store) == ["sent", "sent"]:
                break
            await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 5)
    (call,) = bot.calls
    assert call.at - started >= 0.3 - 0.05


async def test_deliveries_that_finish_while_one_is_recorded_are_recorded_together() -> None:
    store, bot = Store(), FakeBot()
    chats = list(range(1, 11))
    await seed(uow_factory(store), FakeClock(), chats, 1)
    recorded: list[int] = []  # rows marked sent, at each commit

    class SlowToRecord(FakeUnitOfWork):
        async def commit(self) -> None:
            if not recorded:  # the first record waits for every chat's delivery
                for _ in range(100_000):
                    if len(bot.calls) == len(chats):
                        break
                    await asyncio.sleep(0)
            recorded.append(statuses(self.store).count("sent"))
            await super().commit()

    sender = OutboxSender(
        bot,  # type: ignore[arg-type]
        lambda: SlowToRecord(store),
        FakeClock(),
        global_rate=1000,
        private_interval=0.0,
    )
    await sender.deliver_once()
    assert statuses(store) == ["sent"] * len(chats)
    # Not one write per message: whatever finished meanwhile went in one more.
    assert len(recorded) <= 2
    assert recorded[-1] == len(chats)


async def test_blocked_users_among_a_batch_are_each_marked() -> None:
    store, bot = Store(), FakeBot()
    for n, telegram_id in enumerate((5, 6, 7)):
        store.people[100 + n] = Person(name=f"居民{n}", telegram_id=telegram_id, id=100 + n)
    bot.faults.append(fail_times(9, lambda m: TelegramForbiddenError(m, "blocked"), chat_id=5))
    bot.faults.append(fail_times(9, lambda m: TelegramForbiddenError(m, "blocked"), chat_id=7))
    await seed(uow_factory(store), FakeClock(), [5, 6, 7], 1)
    await make_sender(store, bot).deliver_once()
    assert statuses(store) == ["unreachable", "sent", "unreachable"]
    assert [store.people[100 + n].blocked_bot for n in range(3)] == [True, False, True]


async def test_a_sender_that_cannot_renew_its_claims_stops_delivering_in_time() -> None:
    store, bot = Store(), FakeBot()
    renewals_fail = asyncio.Event()

    class CutOff(FakeUnitOfWork):
        async def commit(self) -> None:
            if renewals_fail.is_set():
                raise OSError("the database went away")
            await super().commit()

    sender = OutboxSender(
        bot,  # type: ignore[arg-type]
        lambda: CutOff(store),
        FakeClock(),
        claims=True,
        claim_ttl=0.4,
        claim_renew=0.1,
        global_rate=1000,
        private_interval=0.0,
        poll_interval=0.01,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    await until(lambda: sender.delivering)
    renewals_fail.set()
    started = time.monotonic()
    await until(lambda: not sender.delivering)
    # It stops a renewal short of the claims' end, before any other sender may take them.
    assert time.monotonic() - started < 0.4
    await seed(uow_factory(store), FakeClock(), [5], 1)
    await asyncio.sleep(0.1)  # polls would have found the row by now
    assert bot.calls == []
    stop.set()
    await asyncio.wait_for(task, 5)


async def test_a_stopping_sender_gives_its_claims_up_and_another_takes_the_chat() -> None:
    store, bot = Store(), FakeBot()
    bot.faults.append(fail_times(1, lambda m: TelegramServerError(m, "down")))  # backoff
    await seed(uow_factory(store), FakeClock(), [5], 2)
    first = make_sender(store, bot, claims=True, backoff_base=30, worker_id="first")
    stop = asyncio.Event()
    task = asyncio.create_task(first.run(stop))
    await until(lambda: bool(bot.calls))
    # The first message waits out a long backoff: the chat is the first sender's.
    assert {holder for holder, _ in store.claims.values()} == {"first"}
    second = make_sender(store, bot, claims=True, worker_id="second")
    assert await second.deliver_once() == 0
    stop.set()
    await asyncio.wait_for(task, 5)
    assert store.claims == {}
    assert await second.deliver_once() == 1  # the second (not yet due) stays for later


async def test_a_sender_stopped_mid_call_waits_for_the_answer_and_records_it() -> None:
    # Were the call cut off, the row would stay pending: given up with the claims, another
    # process would send again what Telegram had already accepted.
    store = Store()
    await seed(uow_factory(store), FakeClock(), [5], 1)
    answering, answer = asyncio.Event(), asyncio.Event()

    class SlowBot(FakeBot):
        async def __call__(self, method: Any, request_timeout: int | None = None) -> Any:
            answering.set()
            await answer.wait()
            return await super().__call__(method, request_timeout)

    bot = SlowBot()
    sender = make_sender(store, bot, claims=True)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    await asyncio.wait_for(answering.wait(), 5)
    stop.set()  # the lane is cancelled while Telegram has the message
    await asyncio.sleep(0.05)
    assert not task.done()
    answer.set()
    await asyncio.wait_for(task, 5)
    assert statuses(store) == ["sent"]
    assert len(bot.calls) == 1
