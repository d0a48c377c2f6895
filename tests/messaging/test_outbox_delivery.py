"""The sender on the real storage, with the real aiogram Bot, against the sandbox stand."""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from typing import Any

from aiogram import Bot
from sqlalchemy import select

from gridbot.bot.outbox_sender import OutboxSender
from gridbot.domain.messaging import ChatKind, OutboxMessage, OutboxStatus
from gridbot.domain.org import Person
from gridbot.storage.database import Database
from gridbot.storage.rows import OutboxRow

from .conftest import Stand
from .fakes import RealClock
from .helpers import max_in_window, min_gap, seed

GROUP = ChatKind.GROUP
FAST = {
    "global_rate": 200,
    "private_interval": 0.1,
    "group_per_minute": 4,
    "group_window": 0.5,
    "backoff_base": 0.05,
    "poll_interval": 0.02,
}


def make_sender(bot: Bot, database: Database, **options: Any) -> OutboxSender:
    return OutboxSender(bot, database.uow, RealClock(), **(FAST | options))


async def rows(database: Database) -> list[OutboxMessage]:
    async with database.uow() as uow:
        found = await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
        return [row.to_domain() for row in found]


async def deliver_all(sender: OutboxSender) -> None:
    while await sender.deliver_once():
        pass


def by_chat(sent: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    chats: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for call in sent:
        chats[call["chat_id"]].append(call)
    return chats


def assert_limits_kept(calls: list[dict[str, Any]], options: dict[str, Any]) -> None:
    for chat_id, chat_calls in by_chat(calls).items():
        times = [c["at"] for c in chat_calls]
        if chat_id > 0:
            assert min_gap(times) >= options["private_interval"], chat_id
        else:
            assert max_in_window(times, options["group_window"]) <= options["group_per_minute"]


async def test_many_chats_get_every_message_exactly_once_within_the_limits(
    stand: Stand, bot: Bot, database: Database
) -> None:
    privates, groups = range(1, 41), range(-5, 0)
    await stand.open_private_chats(privates)
    await stand.add_bot_to_groups(groups)
    await seed(database.uow, RealClock(), privates, 3)
    await seed(database.uow, RealClock(), groups, 9, GROUP)

    started = time.time()
    await deliver_all(make_sender(bot, database))

    sent = await stand.sent_messages()
    assert len(sent) == 40 * 3 + 5 * 9
    assert Counter(c["text"] for c in sent).most_common(1)[0][1] == 1
    for chat_id, calls in by_chat(sent).items():
        assert [c["text"] for c in calls] == [f"{chat_id}#{n}" for n in range(len(calls))]
    assert_limits_kept(await stand.attempts(), FAST)
    # The global bucket (20 at once, then 200/s) is taken before a call leaves, so arrival
    # times can bunch up behind a busy event loop; what cannot shrink is the time the whole
    # batch needs: the last call leaves no sooner than (165 - 20) / 200 s after the start.
    assert max(c["at"] for c in sent) - started >= (len(sent) - 20) / 200 - 0.01
    stored = await rows(database)
    assert {m.status for m in stored} == {OutboxStatus.SENT}
    assert all(m.message_id and m.sent_at for m in stored)


async def test_injected_429_and_500_faults_lose_nothing(
    stand: Stand, bot: Bot, database: Database
) -> None:
    await stand.open_private_chats(range(1, 11))
    await seed(database.uow, RealClock(), range(1, 11), 3)
    await stand.sim("fault", {"method": "sendMessage", "code": 500, "times": 4})
    await stand.sim("fault", {"method": "sendMessage", "code": 502, "times": 2})
    await stand.sim("fault", {"method": "sendMessage", "code": 429, "retry_after": 1, "times": 3})

    await deliver_all(make_sender(bot, database))

    sent = await stand.sent_messages()
    assert sorted(c["text"] for c in sent) == sorted(
        f"{c}#{n}" for c in range(1, 11) for n in range(3)
    )
    assert len(await stand.attempts()) == 30 + 9
    assert_limits_kept(await stand.attempts(), FAST)
    assert {m.status for m in await rows(database)} == {OutboxStatus.SENT}


async def test_a_killed_sender_loses_nothing_and_the_next_one_delivers_the_rest(
    stand: Stand, bot: Bot, database: Database
) -> None:
    chats = range(1, 31)
    await stand.open_private_chats(chats)
    await seed(database.uow, RealClock(), chats, 4)
    first = make_sender(bot, database, global_rate=40)
    task = asyncio.create_task(first.run(asyncio.Event()))
    async with asyncio.timeout(10):  # killed once it has delivered some, however slowly
        while True:
            if len(await stand.sent_messages()) >= 10:
                break
            await asyncio.sleep(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    before = len(await stand.sent_messages())
    assert 0 < before < 120

    await deliver_all(make_sender(bot, database, global_rate=40))

    sent = Counter(c["text"] for c in await stand.sent_messages())
    assert set(sent) == {f"{c}#{n}" for c in chats for n in range(4)}
    # At least once: only a message whose answer was cut off by the kill may come twice.
    assert sum(sent.values()) - len(sent) <= len(chats)
    assert {m.status for m in await rows(database)} == {OutboxStatus.SENT}


async def test_a_blocked_user_is_marked_and_a_migrated_group_followed(
    stand: Stand, bot: Bot, database: Database
) -> None:
    await stand.open_private_chats([7, 8])
    await stand.add_bot_to_groups([-9])
    await stand.sim("block", {"user_id": 7})
    migrated = await stand.sim("migrate", {"chat_id": -9})
    async with database.uow() as uow:
        await uow.people.save(Person(name="李娜", telegram_id=7))
        await uow.commit()
    await seed(database.uow, RealClock(), [7, 8], 1)
    await seed(database.uow, RealClock(), [-9], 2, GROUP)
    moves: list[tuple[int, int]] = []
    sender = make_sender(bot, database, on_migrate=lambda *ids: moves.append(ids))

    await deliver_all(sender)

    new_id = migrated["new_chat_id"]
    assert moves == [(-9, new_id)]
    sent = await stand.sent_messages()
    assert sorted((c["chat_id"], c["text"]) for c in sent) == [
        (new_id, "-9#0"),
        (new_id, "-9#1"),
        (8, "8#0"),
    ]
    status = {m.params["text"]: (m.status, m.chat_id) for m in await rows(database)}
    assert status["7#0"] == (OutboxStatus.UNREACHABLE, 7)
    assert status["-9#1"] == (OutboxStatus.SENT, new_id)
    async with database.uow() as uow:
        person = await uow.people.by_telegram_id(7)
    assert person is not None and person.blocked_bot


async def test_the_real_private_spacing_is_at_least_a_second_at_the_stand(
    stand: Stand, bot: Bot, database: Database
) -> None:
    await stand.open_private_chats([3])
    await seed(database.uow, RealClock(), [3], 2)
    await deliver_all(OutboxSender(bot, database.uow, RealClock(), poll_interval=0.02))
    sent = await stand.sent_messages()
    assert [c["text"] for c in sent] == ["3#0", "3#1"]
    assert sent[1]["at"] - sent[0]["at"] >= 1.0
