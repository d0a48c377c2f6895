"""Several senders on one PostgreSQL database (one per bot process): each delivers the chats
whose rows it claimed, Telegram's limits kept together in Redis."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Bot
from redis.asyncio import Redis
from sqlalchemy import text

from gridbot.bot.outbox_sender import OutboxSender
from gridbot.bot.send_limits import Rates
from gridbot.bot.shared_limits import RedisLimits
from gridbot.domain.messaging import OutboxStatus
from gridbot.storage.database import Database
from other_process import opened_again

from .conftest import Stand
from .fakes import RealClock
from .helpers import seed
from .test_outbox_delivery import FAST, assert_limits_kept, by_chat, rows

CLAIMS = {"claims": True, "claim_ttl": 1.0, "claim_renew": 0.1}
RATES = Rates(
    FAST["global_rate"], FAST["private_interval"], FAST["group_per_minute"], FAST["group_window"]
)


class Running:
    """A sender running in the background, as ``bot_services`` runs one per process."""

    def __init__(self, sender: OutboxSender) -> None:
        self.sender, self.stop = sender, asyncio.Event()
        self.task = asyncio.create_task(sender.run(self.stop))

    async def halt(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 5)


@pytest.fixture
async def second_database(pg_database: Database) -> AsyncIterator[Database]:
    """The same database through its own engine, as another process would open it."""
    async with opened_again(pg_database) as other:
        yield other


def sender(bot: Bot, database: Database, redis: Redis, name: str) -> OutboxSender:
    limits = RedisLimits(redis, bot.id, name, RATES)
    options = FAST | CLAIMS | {"worker_id": name, "limits": limits}
    return OutboxSender(bot, database.uow, RealClock(), **options)  # type: ignore[arg-type]


async def all_sent(database: Database, count: int) -> None:
    """Waits until ``count`` rows exist and every one of them is SENT."""
    async with asyncio.timeout(20):
        while True:
            found = await rows(database)
            if len(found) == count and all(r.status is OutboxStatus.SENT for r in found):
                return
            await asyncio.sleep(0.05)


async def claimed_by(database: Database) -> Counter[str | None]:
    async with database.uow() as uow:
        found = await uow.session.execute(text("SELECT claimed_by FROM outbox"))
        return Counter(name for (name,) in found)


async def test_two_senders_deliver_every_message_once_in_order_and_hand_over_on_stop(
    stand: Stand, bot: Bot, pg_database: Database, second_database: Database, redis: Redis
) -> None:
    chats = range(1, 31)
    await stand.open_private_chats(chats)
    first = Running(sender(bot, pg_database, redis, "first"))
    second = Running(sender(bot, second_database, redis, "second"))

    await seed(pg_database.uow, RealClock(), chats, 3)
    await all_sent(pg_database, 30 * 3)
    # Every row was delivered by a sender that had claimed it.
    assert set(await claimed_by(pg_database)) <= {"first", "second"}

    await first.halt()  # its claims are given up: the other takes every chat
    await seed(second_database.uow, RealClock(), chats, 6)  # #0..#2 again, then #3..#5
    await all_sent(pg_database, 30 * 3 + 30 * 6)
    await second.halt()

    sent = await stand.sent_messages()
    assert len(sent) == 30 * 9
    texts = Counter(c["text"] for c in sent)
    assert all(texts[f"{chat}#{n}"] == (2 if n < 3 else 1) for chat in chats for n in range(6))
    for chat_id, calls in by_chat(sent).items():
        numbers = [int(c["text"].split("#")[1]) for c in calls]
        assert numbers == [0, 1, 2, *range(6)], chat_id  # each chat's messages in order
    # The per-chat limits held although two processes delivered, one after the other.
    assert_limits_kept(await stand.attempts(), FAST)


async def test_the_chats_of_a_dead_sender_are_delivered_once_its_claims_expire(
    stand: Stand, bot: Bot, pg_database: Database, redis: Redis
) -> None:
    await stand.open_private_chats([1, 2])
    await seed(pg_database.uow, RealClock(), [1, 2], 2)
    expires = datetime.now(UTC) + timedelta(seconds=1)
    async with pg_database.uow() as uow:  # a process that claimed them and died
        claimed = await uow.outbox.claim("dead", datetime.now(UTC), expires, 10, 10)
        await uow.commit()
    assert len(claimed) == 4

    survivor = Running(sender(bot, pg_database, redis, "survivor"))
    await all_sent(pg_database, 4)
    await survivor.halt()
    sent = await stand.sent_messages()
    assert [c["text"] for c in sent if c["chat_id"] == 1] == ["1#0", "1#1"]
    # Not one of them before the dead process's claims had expired.
    assert min(c["at"] for c in sent) >= expires.timestamp() - 0.01
    assert set(await claimed_by(pg_database)) == {"survivor"}
