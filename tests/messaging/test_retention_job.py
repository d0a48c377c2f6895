"""The nightly purge as `gridbot run` and `webhook` run it: scheduled at start-up (once,
whatever the number of processes), run by the due scheduler at 04:00 local when the clock
gets there, a bounded batch per tick while a backlog lasts, then the next night's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from demo_town import FixedClock, context
from gridbot.bot.config import Settings
from gridbot.bot.jobs import register_jobs, start_retention
from gridbot.bot.scheduler import DueScheduler
from gridbot.domain.messaging import DueItem, DueKind, OutboxMessage, OutboxStatus
from gridbot.services import retention
from gridbot.storage.database import Database
from gridbot.storage.rows import DueItemRow, OutboxRow

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
TONIGHT = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)  # Tuesday 04:00 in Shanghai
OLD = NOW - timedelta(days=40)


def settings(days: int = 30) -> Settings:
    return Settings(_env_file=None, GRIDBOT_RETENTION_DAYS=days)  # type: ignore[call-arg]


def sent(created: datetime, chat_id: int = 1) -> OutboxMessage:
    message = OutboxMessage(chat_id, "sendMessage", {"text": "好"}, created)
    message.status, message.sent_at, message.message_id = OutboxStatus.SENT, created, None
    return message


async def purges(db: Database) -> list[DueItem]:
    async with db.reader() as uow:
        return list(await uow.due.pending(DueKind.PURGE, retention.REF))


async def count(db: Database, row: type[OutboxRow] | type[DueItemRow]) -> int:
    async with db.reader() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(row)) or 0)


async def test_start_up_schedules_one_purge_tonight_however_many_processes_start(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    for _ in range(3):  # three processes starting, or restarts
        await start_retention(context(database, clock), settings())
    assert [i.due_at for i in await purges(database)] == [TONIGHT]


async def test_retention_off_schedules_nothing_and_drops_a_pending_purge(
    database: Database,
) -> None:
    ctx = context(database, FixedClock(NOW))
    await start_retention(ctx, settings())
    await start_retention(ctx, settings(days=0))
    assert await purges(database) == []


async def test_the_purge_runs_when_the_clock_reaches_it_a_batch_a_tick_then_tomorrow(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention, "BATCH", 4)
    clock = FixedClock(NOW)
    ctx = context(database, clock)
    async with database.uow() as uow:
        for n in range(9):
            await uow.outbox.add(sent(OLD + timedelta(minutes=n)))
        await uow.outbox.add(sent(NOW - timedelta(days=29)))  # young at 04:00: stays
        await uow.outbox.add(OutboxMessage(2, "sendMessage", {"text": "等"}, OLD))  # pending
        await uow.commit()
    config = settings()
    scheduler = DueScheduler(database.uow, clock)
    register_jobs(scheduler, ctx, config)
    await start_retention(ctx, config)

    assert await scheduler.tick() == 0  # 10:00: not yet
    clock.at = TONIGHT
    left = []
    for _ in range(3):
        assert await scheduler.tick() == 1
        left.append(await count(database, OutboxRow))
        assert await scheduler.tick() == 0  # the next batch waits for the next tick
        clock.advance(seconds=1)
    # Four, four, then the last old one: the third step found less than a batch and ended
    # the night with the next night's item.
    assert left == [7, 3, 2]
    assert [i.due_at for i in await purges(database)] == [TONIGHT + timedelta(days=1)]
    assert await scheduler.tick() == 0

    # A month on, the night's steps are old finished due items themselves: dropped.
    clock.at = TONIGHT + timedelta(days=31)
    steps = 0
    while await scheduler.tick():
        steps += 1
        clock.advance(seconds=1)
    assert steps == 2  # one message and three due items fill the first batch of four
    assert await count(database, OutboxRow) == 1  # only the pending message
    async with database.reader() as uow:
        items = await uow.session.scalars(select(DueItemRow).order_by(DueItemRow.due_at))
        left_over = [(i.due_at, i.done_at is not None) for i in items]
    assert left_over == [
        (TONIGHT + timedelta(days=1), True),  # the night's two steps
        (TONIGHT + timedelta(days=31, seconds=1), True),
        (TONIGHT + timedelta(days=32), False),  # the next night's
    ]
