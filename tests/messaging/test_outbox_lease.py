"""Several senders on one database (one per bot process): only the lease holder delivers."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable

import pytest
from aiogram import Bot

from gridbot.bot.outbox_sender import OutboxSender
from gridbot.domain.messaging import OutboxStatus
from gridbot.storage.database import Database

from .conftest import Stand
from .fakes import RealClock
from .helpers import seed
from .test_outbox_delivery import FAST, assert_limits_kept, rows

LEASE = {"lease_ttl": 1.0, "lease_renew": 0.1}


class Running:
    """A sender running in the background, as ``bot_services`` runs one per process."""

    def __init__(self, sender: OutboxSender) -> None:
        self.sender, self.stop = sender, asyncio.Event()
        self.task = asyncio.create_task(sender.run(self.stop))

    async def halt(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 5)


@pytest.fixture
async def second_database(database: Database) -> AsyncIterator[Database]:
    """The same database through its own engine, as another process would open it."""
    other = Database(database.url)
    try:
        yield other
    finally:
        await other.dispose()


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(10):
        while True:
            if condition():
                return
            await asyncio.sleep(0.02)


async def all_sent(database: Database, count: int) -> None:
    """Waits until ``count`` rows exist and every one of them is SENT."""
    async with asyncio.timeout(15):
        while True:
            found = await rows(database)
            if len(found) == count and all(r.status is OutboxStatus.SENT for r in found):
                return
            await asyncio.sleep(0.05)


async def test_two_senders_deliver_every_message_exactly_once_and_hand_over_on_stop(
    stand: Stand, bot: Bot, database: Database, second_database: Database
) -> None:
    chats = range(1, 21)
    await stand.open_private_chats(chats)
    senders = [
        Running(OutboxSender(bot, db.uow, RealClock(), **(FAST | LEASE)))
        for db in (database, second_database)
    ]
    await until(lambda: any(r.sender.is_leader for r in senders))
    first, second = sorted(senders, key=lambda r: not r.sender.is_leader)
    assert first.sender.worker_id != second.sender.worker_id

    await seed(database.uow, RealClock(), chats, 3)
    await all_sent(database, 20 * 3)
    assert not second.sender.is_leader

    await first.halt()
    await until(lambda: second.sender.is_leader)
    await seed(second_database.uow, RealClock(), chats, 6)  # #0..#2 again, then #3..#5
    await all_sent(database, 20 * 3 + 20 * 6)
    await second.halt()

    sent = await stand.sent_messages()
    assert len(sent) == 20 * 9
    texts = Counter(c["text"] for c in sent)
    assert all(texts[f"{chat}#{n}"] == (2 if n < 3 else 1) for chat in chats for n in range(6))
    assert_limits_kept(await stand.attempts(), FAST)
