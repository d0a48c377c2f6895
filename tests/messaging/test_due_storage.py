"""The due scheduler on the real storage: SQLite always, PostgreSQL when one is set up."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from gridbot.bot.scheduler import DueScheduler
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.services.common import schedule
from gridbot.services.ports import UnitOfWork
from gridbot.storage.database import Database
from gridbot.storage.rows import DueItemRow, OutboxRow

from .fakes import T0, FakeClock
from .helpers import enqueue_text


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    name = "database" if request.param == "sqlite" else "pg_database"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


async def add_reminders(db: Database, count: int) -> None:
    async with db.uow() as uow:
        for n in range(count):
            await schedule(uow, DueKind.RESPOND_DEADLINE, f"2026-{n:06d}", T0, {"chat_id": n + 1})
        await uow.commit()


def reminder(clock: FakeClock):  # type: ignore[no-untyped-def]
    async def handler(item: DueItem, uow: UnitOfWork) -> None:
        await enqueue_text(uow, clock, item.payload["chat_id"], f"overdue {item.ref}")

    return handler


async def outbox_texts(db: Database) -> list[str]:
    async with db.uow() as uow:
        rows = await uow.session.scalars(select(OutboxRow))
        return [row.to_domain().params["text"] for row in rows]


async def undone(db: Database) -> int:
    async with db.uow() as uow:
        rows = await uow.session.scalars(select(DueItemRow).where(DueItemRow.done_at.is_(None)))
        return len(list(rows))


async def test_two_schedulers_on_one_database_send_each_reminder_once(db: Database) -> None:
    clock = FakeClock(T0 + timedelta(minutes=1))
    await add_reminders(db, 300)
    schedulers = [DueScheduler(db.uow, clock, batch=40, chunk=10) for _ in range(2)]
    for scheduler in schedulers:
        scheduler.register(DueKind.RESPOND_DEADLINE, reminder(clock))

    async def keep_ticking(scheduler: DueScheduler) -> int:
        handled = 0
        while claimed := await scheduler.tick():
            handled += claimed
        return handled

    counts = await asyncio.gather(*(keep_ticking(s) for s in schedulers))
    texts = await outbox_texts(db)
    assert sorted(texts) == sorted(f"overdue 2026-{n:06d}" for n in range(300))
    assert sum(counts) == 300
    assert await undone(db) == 0


async def test_a_failing_handler_leaves_nothing_and_its_item_is_retried(db: Database) -> None:
    clock = FakeClock(T0 + timedelta(minutes=1))
    await add_reminders(db, 3)
    failures = {"2026-000001": 2}  # fails in its chunk and again on its own
    send = reminder(clock)

    async def flaky(item: DueItem, uow: UnitOfWork) -> None:
        await send(item, uow)
        if failures.get(item.ref):
            failures[item.ref] -= 1
            raise RuntimeError("renderer crashed")

    scheduler = DueScheduler(db.uow, clock, retry_after=timedelta(minutes=2))
    scheduler.register(DueKind.RESPOND_DEADLINE, flaky)
    assert await scheduler.tick() == 3
    assert sorted(await outbox_texts(db)) == ["overdue 2026-000000", "overdue 2026-000002"]
    assert await undone(db) == 1

    clock.advance(minutes=3)
    assert await scheduler.tick() == 1
    assert len(await outbox_texts(db)) == 3
    assert await undone(db) == 0
