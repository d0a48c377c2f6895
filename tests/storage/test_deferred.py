"""Queued rows (case events, outbox messages, due items): written in one statement each,
before the unit of work's next statement or at its commit, and never after a rollback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from gridbot.domain.case import CaseEvent, CaseStatus
from gridbot.domain.errors import PatrolUnderWay
from gridbot.domain.messaging import DueItem, DueKind, OutboxMessage
from gridbot.domain.patrol import Patrol
from gridbot.storage.database import Database

from .factories import T0, Seed, make_case


def submitted(case_id: int, minutes: int = 0) -> CaseEvent:
    return CaseEvent(
        case_id, "submit", None, T0 + timedelta(minutes=minutes), None, CaseStatus.SUBMITTED
    )


@contextmanager
def statements(db: Database) -> Iterator[list[tuple[str, bool]]]:
    """(first words of each statement sent to the writers' engine, whether executemany)."""
    seen: list[tuple[str, bool]] = []

    def on_execute(*args: object) -> None:
        statement, executemany = args[2], args[5]
        assert isinstance(statement, str)
        seen.append((" ".join(statement.split()[:3]), bool(executemany)))

    event.listen(db.engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", on_execute)


async def test_queued_rows_are_written_at_commit_one_statement_each_table(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        case = await uow.cases.add(make_case(seed, "2026-000001"))
        assert case.id is not None
        with statements(db) as seen:
            for n in range(3):
                await uow.cases.add_event(submitted(case.id, n))
                await uow.outbox.queue(OutboxMessage(100 + n, "sendMessage", {"text": "x"}, T0))
                await uow.due.queue(DueItem(DueKind.FOLLOW_UP, T0 + timedelta(hours=n), "r"))
            assert seen == []  # nothing written yet
            await uow.commit()
    inserts = [s for s in seen if s[0].startswith("INSERT")]
    assert [table.split()[2] for table, _ in inserts] == ["case_events", "outbox", "due_items"]
    assert all(many for _, many in inserts)
    async with db.reader() as uow:
        assert len(await uow.cases.events(case.id)) == 3
        assert [m.chat_id for m in await uow.outbox.pending(T0, 10)] == [100, 101, 102]
        assert len(await uow.due.pending(DueKind.FOLLOW_UP, "r")) == 3


async def test_the_unit_of_work_reads_what_it_queued(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        case = await uow.cases.add(make_case(seed, "2026-000001"))
        assert case.id is not None
        await uow.cases.add_event(submitted(case.id))
        await uow.due.queue(DueItem(DueKind.FOLLOW_UP, T0, "r"))
        assert len(await uow.cases.events(case.id)) == 1
        assert len(await uow.due.pending(DueKind.FOLLOW_UP, "r")) == 1
        await uow.commit()


async def test_a_rollback_forgets_what_was_queued(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        case = await uow.cases.add(make_case(seed, "2026-000001"))
        await uow.commit()
    assert case.id is not None
    async with db.uow() as uow:
        await uow.cases.add_event(submitted(case.id))
        await uow.outbox.queue(OutboxMessage(100, "sendMessage", {"text": "x"}, T0))
        await uow.rollback()
        await uow.due.queue(DueItem(DueKind.FOLLOW_UP, T0, "kept"))
        await uow.commit()
    async with db.reader() as uow:
        assert await uow.cases.events(case.id) == []
        assert await uow.outbox.pending(T0, 10) == []
        assert len(await uow.due.pending(DueKind.FOLLOW_UP, "kept")) == 1


async def test_leaving_the_block_without_commit_writes_nothing(db: Database) -> None:
    async with db.uow() as uow:
        await uow.outbox.queue(OutboxMessage(100, "sendMessage", {"text": "x"}, T0))
    async with db.reader() as uow:
        assert await uow.outbox.pending(T0, 10) == []


async def test_scheduling_the_same_item_twice_keeps_one(db: Database) -> None:
    async with db.uow() as uow:
        for _ in range(2):
            await uow.due.queue(DueItem(DueKind.FOLLOW_UP, T0, "r"))
        await uow.commit()
    async with db.uow() as uow:
        await uow.due.queue(DueItem(DueKind.FOLLOW_UP, T0, "r"))
        await uow.commit()
    async with db.reader() as uow:
        assert len(await uow.due.pending(DueKind.FOLLOW_UP, "r")) == 1


async def test_a_failed_savepoint_keeps_what_was_queued_before_it(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        await uow.patrols.add(Patrol(seed.worker_id, seed.grid, T0))
        await uow.commit()
    async with db.uow() as uow:
        await uow.outbox.queue(OutboxMessage(100, "sendMessage", {"text": "x"}, T0))
        with pytest.raises(PatrolUnderWay):  # its savepoint is rolled back
            await uow.patrols.add(Patrol(seed.worker_id, seed.grid, T0))
        await uow.commit()
    async with db.reader() as uow:
        assert [m.chat_id for m in await uow.outbox.pending(T0, 10)] == [100]
