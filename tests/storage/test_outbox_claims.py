"""Outbox claims: every process on PostgreSQL delivers the chats whose rows it claimed."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select

from gridbot.domain.messaging import OutboxMessage, OutboxStatus
from gridbot.storage.database import Database
from gridbot.storage.rows import OutboxRow

from .factories import T0
from .test_messaging import message

NOW = T0 + timedelta(minutes=10)
LATER = NOW + timedelta(seconds=15)


async def add(db: Database, *messages: OutboxMessage) -> list[int]:
    async with db.uow() as uow:
        added = [await uow.outbox.add(m) for m in messages]
        await uow.commit()
    return [m.id for m in added if m.id is not None]


async def claim(
    db: Database,
    worker: str,
    *,
    now: datetime = NOW,
    until: datetime = LATER,
    chats: int = 10,
    limit: int = 100,
) -> list[int]:
    async with db.uow() as uow:
        rows = await uow.outbox.claim(worker, now, until, chats, limit)
        await uow.commit()
    return [row.id for row in rows if row.id is not None]


async def test_a_claim_takes_due_pending_rows_oldest_first_and_not_twice(db: Database) -> None:
    ids = await add(
        db,
        message(1, 0),
        message(2, 1),
        message(1, 2),
        message(3, 3, not_before=NOW + timedelta(hours=1)),  # in backoff
        message(4, 4, status=OutboxStatus.SENT),
    )
    assert await claim(db, "a", limit=2) == ids[:2]
    assert await claim(db, "a") == [ids[2]]  # what it holds is not handed out again
    assert await claim(db, "a") == []
    async with db.uow() as uow:
        (row,) = await uow.outbox.many([ids[0]])
    assert row.status is OutboxStatus.PENDING  # a claim changes nothing else


async def test_a_chat_is_one_workers_until_its_claims_end(db: Database) -> None:
    first = await add(db, message(1, 0), message(2, 1))
    assert await claim(db, "a", chats=1) == [first[0]]
    assert await claim(db, "b") == [first[1]]  # only the chat nobody holds

    (later,) = await add(db, message(1, 5))  # a new row of a's chat: a's, not b's
    assert await claim(db, "b") == []
    assert await claim(db, "a") == [later]

    # Claims that were not renewed expire; then anyone may take the rows.
    assert await claim(db, "b", now=LATER + timedelta(seconds=1)) == [*first, later]


async def test_renewed_claims_last_and_released_ones_are_free_at_once(db: Database) -> None:
    ids = await add(db, message(1), message(2))
    assert await claim(db, "a") == ids
    async with db.uow() as uow:
        assert await uow.outbox.renew_claims("a", LATER + timedelta(minutes=1)) == 2
        await uow.commit()
    assert await claim(db, "b", now=LATER + timedelta(seconds=1)) == []

    async with db.uow() as uow:
        assert await uow.outbox.release_claims("a") == 2
        await uow.commit()
    assert await claim(db, "b") == ids


async def test_a_delivered_row_no_longer_holds_its_chat(db: Database) -> None:
    (sent,) = await add(db, message(1))
    assert await claim(db, "a") == [sent]
    async with db.uow() as uow:
        (row,) = await uow.outbox.many([sent])
        row.status, row.sent_at = OutboxStatus.SENT, NOW
        await uow.outbox.update(row)
        await uow.commit()
    (new,) = await add(db, message(1, 1))
    assert await claim(db, "b") == [new]


async def unclaimed(db: Database) -> int:
    async with db.reader() as uow:
        rows = await uow.session.scalars(select(OutboxRow.id).where(OutboxRow.claimed_by.is_(None)))
        return len(list(rows))


async def test_concurrent_claimers_share_the_chats_and_claim_every_row_once(
    db: Database,
) -> None:
    chats, per_chat = 40, 5
    await add(db, *(message(chat, n) for n in range(per_chat) for chat in range(1, chats + 1)))
    holders: dict[int, set[str]] = defaultdict(set)  # chat -> workers that claimed its rows
    claimed: list[int] = []

    async def worker(name: str) -> None:
        while True:
            async with db.uow() as uow:
                rows = await uow.outbox.claim(name, NOW, LATER, 3, 7)
                await uow.commit()
            for row in rows:
                holders[row.chat_id].add(name)
                claimed.append(row.id or 0)
            # Nothing for this worker may mean chats another is claiming right now (their
            # locks are skipped): it stops only once every row is claimed, as a sender's
            # next poll would come back for the rest.
            if not rows and not await unclaimed(db):
                return
            await asyncio.sleep(0)

    await asyncio.gather(*(worker(f"w{n}") for n in range(6)))
    assert sorted(claimed) == list(range(1, chats * per_chat + 1))
    assert all(len(workers) == 1 for workers in holders.values())
    assert len(holders) == chats
