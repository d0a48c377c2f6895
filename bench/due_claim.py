"""Due items at scale: N reminders due at once, claimed and handled by the DueScheduler.

The items are inserted due a second ago (through the due repository, as services schedule
them, 10,000 to a transaction); then ``DueScheduler.tick()`` runs until a tick claims
nothing: each tick claims up to 1,000 items in its own transaction (``claim_due``; FOR
UPDATE SKIP LOCKED on PostgreSQL) and handles them 50 to a transaction, each item's handler
queueing one message in the outbox as a reminder does, committed with its done mark. The
time is from the first tick to the end of the last; afterwards every item must be done and
every message queued exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gridbot.bot.app import SystemClock
from gridbot.bot.scheduler import DueScheduler
from gridbot.domain.messaging import ChatKind, DueItem, DueKind, OutboxMessage
from gridbot.services.ports import UnitOfWork
from gridbot.storage.database import Database
from gridbot.storage.migrate import upgrade
from gridbot.storage.rows import DueItemRow, OutboxRow

KIND = DueKind.FOLLOW_UP  # an existing kind; its handler here is the bench's own
INSERT_CHUNK = 10_000
CHATS = 1_000


class DueBenchFailed(Exception):
    pass


async def reminder(item: DueItem, uow: UnitOfWork) -> None:
    """One message per item, queued in the item's transaction, as reminders are."""
    chat_id = 700_000_000 + int(item.ref) % CHATS
    text = f"bench reminder #{item.ref}"
    now = item.due_at + timedelta(seconds=1)
    await uow.outbox.queue(
        OutboxMessage(chat_id, "sendMessage", {"text": text}, now, ChatKind.PRIVATE)
    )


async def claim_all(url: str, count: int) -> float:
    """Seconds the scheduler took to claim and handle ``count`` due items on ``url`` (a
    migrated, empty database)."""
    clock = SystemClock()
    database = Database(url)
    try:
        due_at = clock.now() - timedelta(seconds=1)
        for start in range(0, count, INSERT_CHUNK):
            async with database.uow() as uow:
                for number in range(start, min(count, start + INSERT_CHUNK)):
                    await uow.due.queue(DueItem(KIND, due_at, str(number)))
                await uow.commit()
        scheduler = DueScheduler(database.uow, clock, worker_id="bench")
        scheduler.register(KIND, reminder)
        started = time.perf_counter()
        while await scheduler.tick():
            pass
        seconds = time.perf_counter() - started
        async with database.reader() as uow:
            undone = await uow.session.scalar(
                select(func.count()).select_from(DueItemRow).where(DueItemRow.done_at.is_(None))
            )
            texts = [
                params["text"] for params in await uow.session.scalars(select(OutboxRow.params))
            ]
        if undone or len(texts) != count or len(set(texts)) != count:
            raise DueBenchFailed(
                f"{undone} items not done, {len(texts)} messages queued "
                f"({len(set(texts))} different) for {count} items"
            )
        return seconds
    finally:
        await database.dispose()


@contextlib.asynccontextmanager
async def new_pg_database(server_url: str) -> AsyncIterator[str]:
    """A new database on the PostgreSQL server of ``server_url``, migrated; dropped after."""
    name = f"gridbot_bench_{uuid.uuid4().hex[:12]}"
    await _admin(server_url, f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        await asyncio.to_thread(upgrade, url)
        yield url
    finally:
        await _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(server_url: str, statement: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()
