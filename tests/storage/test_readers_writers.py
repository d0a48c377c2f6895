"""Readers never wait for writers; writers of one process take turns in asyncio (SQLite).

Every test waits for events (or for a state it can see), never for time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from gridbot.domain.org import Person
from gridbot.storage.database import Database
from gridbot.storage.writers import WriterLock
from other_process import opened_again
from yielding import until

READ_ONLY = r"readonly|read-only"  # SQLite's and PostgreSQL's words for it


async def write_person(db: Database, telegram_id: int) -> None:
    async with db.uow() as uow:
        await uow.people.save(Person(f"p{telegram_id}", telegram_id=telegram_id))
        await uow.commit()


async def people(db: Database, *telegram_ids: int) -> list[bool]:
    async with db.reader() as uow:
        return [await uow.people.by_telegram_id(n) is not None for n in telegram_ids]


def writer_lock(db: Database) -> WriterLock:
    assert db.writer_lock is not None
    return db.writer_lock


# Both backends ------------------------------------------------------------------------


async def test_a_reader_reads_while_a_writer_holds_its_transaction_and_sees_no_uncommitted_row(
    db: Database,
) -> None:
    events: list[str] = []
    written, read = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with db.uow() as uow:
            await uow.people.save(Person("甲", telegram_id=1))  # flushed: the row is written
            events.append("written")
            written.set()
            await read.wait()
            await uow.commit()
            events.append("committed")

    async def reader() -> None:
        await written.wait()
        if db.writer_lock is not None:
            assert db.writer_lock.locked  # the writer's turn, and its open transaction
        async with db.reader() as uow:
            assert await uow.people.by_telegram_id(1) is None
        events.append("read")
        read.set()

    await asyncio.gather(writer(), reader())
    assert events == ["written", "read", "committed"]
    assert await people(db, 1) == [True]


async def test_a_reader_cannot_write_and_nothing_is_written(db: Database) -> None:
    async with db.reader() as uow:
        assert uow.read_only
        with pytest.raises(DBAPIError, match=READ_ONLY):
            await uow.people.save(Person("甲", telegram_id=1))
        await uow.rollback()
        with pytest.raises(DBAPIError, match=READ_ONLY):
            await uow.session.execute(text("DELETE FROM people"))
        await uow.rollback()
        assert await uow.people.by_telegram_id(1) is None
    assert await people(db, 1) == [False]


async def test_commit_on_a_reader_is_harmless_and_the_next_read_sees_new_commits(
    db: Database,
) -> None:
    async with db.reader() as uow:
        await uow.commit()  # nothing read yet: nothing to end
        assert await uow.people.by_telegram_id(1) is None
        await write_person(db, 1)  # a writer inside a reader of the same task is fine
        await uow.commit()
        assert await uow.people.by_telegram_id(1) is not None
        await uow.rollback()
        assert await uow.people.by_telegram_id(1) is not None


async def test_a_writer_after_a_reader_writes_on_the_same_pool(db: Database) -> None:
    # PostgreSQL readers share the writers' pool: READ ONLY must not stick to a connection.
    backends: set[object] = set()
    whoami = "SELECT pg_backend_pid()" if db.backend == "postgresql" else "SELECT 1"
    for n in range(3):
        async with db.reader() as reader:
            assert await reader.people.by_telegram_id(n) is None
            backends.add(await reader.session.scalar(text(whoami)))
        async with db.uow() as uow:
            backends.add(await uow.session.scalar(text(whoami)))
            await uow.people.save(Person(f"p{n}", telegram_id=n))
            await uow.commit()
    assert len(backends) == 1  # PostgreSQL: one connection served readers and writers
    assert await people(db, 0, 1, 2) == [True, True, True]


# SQLite: the writer lock ---------------------------------------------------------------


async def test_ten_concurrent_writers_never_have_two_transactions_open_and_all_commit(
    database: Database,
) -> None:
    lock = writer_lock(database)
    open_now: set[int] = set()
    most_open, most_waiting, began = 0, 0, 0

    def on_begin(connection: Any) -> None:
        nonlocal most_open, most_waiting, began
        open_now.add(id(connection))
        began += 1
        most_open = max(most_open, len(open_now))
        most_waiting = max(most_waiting, lock.waiting)

    def on_end(connection: Any) -> None:
        open_now.discard(id(connection))

    engine = database.engine.sync_engine
    event.listen(engine, "begin", on_begin, insert=True)  # before its BEGIN IMMEDIATE waits
    event.listen(engine, "commit", on_end)
    event.listen(engine, "rollback", on_end)
    go = asyncio.Event()

    async def writer(n: int) -> None:
        await go.wait()
        async with database.uow() as uow:
            assert await uow.people.by_telegram_id(n) is None  # read, then write
            await uow.people.save(Person(f"p{n}", telegram_id=n))
            await uow.commit()

    writers = [asyncio.create_task(writer(n)) for n in range(10)]
    go.set()
    await asyncio.gather(*writers)
    assert (most_open, began) == (1, 10)
    assert most_waiting >= 1  # they did contend
    assert not open_now and not lock.locked and lock.waiting == 0
    assert await people(database, *range(10)) == [True] * 10


async def test_a_nested_writer_in_the_same_task_raises_at_once(database: Database) -> None:
    async with database.uow() as outer:
        await outer.people.save(Person("甲", telegram_id=1))
        with pytest.raises(RuntimeError, match="this task has one open"):
            async with database.uow():
                pass
        await outer.commit()
        with pytest.raises(RuntimeError, match="this task has one open"):  # after a commit too
            async with database.uow():
                pass
        async with database.reader() as reader:  # readers may nest
            assert await reader.people.by_telegram_id(1) is not None
    assert not writer_lock(database).locked
    await write_person(database, 2)
    assert await people(database, 1, 2) == [True, True]


async def test_a_writer_in_a_child_task_awaited_by_a_writer_raises_instead_of_hanging(
    database: Database,
) -> None:
    async with database.uow() as outer:
        await outer.people.save(Person("甲", telegram_id=1))
        with pytest.raises(RuntimeError, match="started this one"):
            await asyncio.create_task(write_person(database, 2))
        await outer.commit()
    await asyncio.create_task(write_person(database, 3))  # outside the block: fine
    assert await people(database, 1, 2, 3) == [True, False, True]


class Holder:
    """A writer holding its turn (with a row written) until ``finish()``."""

    def __init__(self, db: Database) -> None:
        self.held, self.release = asyncio.Event(), asyncio.Event()
        self.task = asyncio.create_task(self._hold(db))
        self.then: Callable[[], None] = lambda: None

    async def _hold(self, db: Database) -> None:
        async with db.uow() as uow:
            await uow.people.save(Person("甲", telegram_id=1))
            self.held.set()
            await self.release.wait()
            await uow.commit()
        self.then()  # runs before any other task: the turn was just handed on

    async def finish(self) -> None:
        self.release.set()
        await self.task


async def test_a_writer_cancelled_while_waiting_for_its_turn_leaves_the_lock_free(
    database: Database,
) -> None:
    lock = writer_lock(database)
    holder = Holder(database)
    await holder.held.wait()
    waiter = asyncio.create_task(write_person(database, 2))
    await until(lambda: lock.waiting == 1)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert lock.waiting == 0
    await holder.finish()
    assert not lock.locked
    await write_person(database, 3)
    assert await people(database, 1, 2, 3) == [True, False, True]


async def test_a_writer_cancelled_as_its_turn_comes_hands_the_turn_on(database: Database) -> None:
    lock = writer_lock(database)
    holder = Holder(database)
    await holder.held.wait()
    cancelled = asyncio.create_task(write_person(database, 2))
    await until(lambda: lock.waiting == 1)
    next_one = asyncio.create_task(write_person(database, 3))
    await until(lambda: lock.waiting == 2)
    holder.then = cancelled.cancel  # the turn is already on its way to `cancelled`
    await holder.finish()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    await next_one
    assert not lock.locked and lock.waiting == 0
    assert await people(database, 1, 2, 3) == [True, False, True]


@pytest.fixture
async def other_process(database: Database) -> AsyncIterator[Database]:
    """The same file through a second ``Database``: its own engines and its own lock."""
    async with opened_again(database) as other:
        yield other


async def test_another_process_writer_waits_in_the_busy_handler_and_then_succeeds(
    database: Database, other_process: Database
) -> None:
    loop = asyncio.get_running_loop()
    trying = asyncio.Event()

    def trace(statement: str) -> None:  # on the connection's thread, as each one starts
        if statement.startswith("BEGIN IMMEDIATE"):
            loop.call_soon_threadsafe(trying.set)

    # The other's pool keeps this one connection, so its writer gets the traced one.
    async with other_process.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        await raw.driver_connection.set_trace_callback(trace)

    written = asyncio.Event()

    async def first() -> None:
        async with database.uow() as uow:
            await uow.people.save(Person("甲", telegram_id=1))
            written.set()
            await trying.wait()  # the other's BEGIN IMMEDIATE is under way: it must wait
            await uow.commit()

    async def second() -> None:
        await written.wait()
        async with other_process.uow() as uow:
            await uow.people.save(Person("乙", telegram_id=2))
            # Its write transaction began after the first committed: it sees that row.
            assert await uow.people.by_telegram_id(1) is not None
            await uow.commit()

    async with asyncio.timeout(60):  # a safety net only: nothing here waits for time
        await asyncio.gather(first(), second())
    assert await people(database, 1, 2) == [True, True]
