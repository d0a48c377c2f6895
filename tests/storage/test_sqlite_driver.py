"""The SQLite driver adapter: a statement runs on the event loop's thread when it may, else
in one trip to aiosqlite's thread; the same results either way.

These run on a bare engine (no schema of ours) so that each statement is visible. The tests
of the trips run their statements with ``ON_THREAD``.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.events import ConnectionEvents
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from gridbot.storage import sqlite_driver
from gridbot.storage.engine import create_engine, create_reader_engine
from gridbot.storage.sqlite_driver import ON_THREAD, PIPELINED


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield engine
    await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions aiosqlite ran on its thread, in order."""
    seen: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


def thread(sql: str) -> Any:
    """A statement that makes its trip to the driver's thread."""
    return text(sql).execution_options(**ON_THREAD)


@asynccontextmanager
async def settled(engine: AsyncEngine, trips: list[str]) -> AsyncIterator[AsyncConnection]:
    """A writer's connection past its first use (the pool opened it), no trip counted yet."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        await connection.commit()
        trips.clear()
        yield connection


async def test_a_query_is_one_trip_and_returns_its_rows(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('甲'), ('乙')"))
        trips.clear()
        rows = (await connection.execute(thread("SELECT id, name FROM t ORDER BY id"))).all()
        assert trips == ["_execute"]
    assert [tuple(row) for row in rows] == [(1, "甲"), (2, "乙")]


async def test_a_write_reports_its_row_count_and_last_row_id_in_one_trip(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.begin() as connection:
        trips.clear()
        inserted = await connection.execute(thread("INSERT INTO t (name) VALUES ('丙')"))
        assert trips == ["_execute"]
        assert inserted.lastrowid == 1
        updated = await connection.execute(text("UPDATE t SET name = name || '!'"))
        assert updated.rowcount == 1


async def test_insert_returning_gives_back_the_new_rows(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        result = await connection.execute(
            text("INSERT INTO t (name) VALUES ('丁') ON CONFLICT DO NOTHING RETURNING id")
        )
        assert result.scalars().all() == [1]
        again = await connection.execute(
            text("INSERT INTO t (name) VALUES ('丁') ON CONFLICT DO NOTHING RETURNING id")
        )
        assert again.scalars().all() == []


async def test_many_rows_are_one_trip(engine: AsyncEngine, trips: list[str]) -> None:
    async with engine.begin() as connection:
        trips.clear()
        await connection.execute(
            thread("INSERT INTO t (name) VALUES (:name)"), [{"name": str(n)} for n in range(50)]
        )
        assert trips == ["_executemany"]
        count = (await connection.execute(text("SELECT count(*) FROM t"))).scalar_one()
    assert count == 50


async def test_a_streamed_result_reads_every_row(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": str(n)} for n in range(120)]
        )
    async with engine.connect() as connection:
        result = await connection.stream(text("SELECT id FROM t ORDER BY id"))
        ids = [row.id async for row in result]
    assert ids == list(range(1, 121))


async def test_a_reader_statement_opens_no_transaction_of_its_own(
    engine: AsyncEngine, trips: list[str], tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}"
    readers = create_reader_engine(url, engine)
    try:
        async with readers.connect() as connection:
            await connection.execute(text("SELECT 1"))  # the pool's first connection
        trips.clear()
        async with readers.connect() as connection:
            assert (await connection.execute(thread("SELECT count(*) FROM t"))).scalar_one() == 0
        assert trips == ["_execute"]  # no BEGIN, and no rollback on the way back to the pool
    finally:
        await readers.dispose()


def other_writer_is_locked_out(path: Path) -> bool:
    """Whether a plain sqlite3 connection finds the write lock taken (it does not wait)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    else:
        other.execute("ROLLBACK")
        return False
    finally:
        other.close()


async def test_a_writer_begins_immediate_in_the_trip_of_its_first_statement(
    engine: AsyncEngine, trips: list[str], tmp_path: Path
) -> None:
    async with settled(engine, trips) as connection:
        await connection.execute(thread("SELECT count(*) FROM t"))  # a read, yet IMMEDIATE
        assert trips == ["_execute"]
        assert other_writer_is_locked_out(tmp_path / "driver.db")
        await connection.commit()
    assert not other_writer_is_locked_out(tmp_path / "driver.db")


async def test_a_streamed_first_statement_begins_the_transaction_too(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    async with engine.connect() as connection:
        result = await connection.stream(text("SELECT id FROM t"))
        assert [row async for row in result] == []
        assert other_writer_is_locked_out(tmp_path / "driver.db")
        await connection.rollback()
    assert not other_writer_is_locked_out(tmp_path / "driver.db")


async def test_ending_a_transaction_with_no_statement_makes_no_trip(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.connect() as connection:
        await connection.execute(thread("INSERT INTO t (name) VALUES ('庚')"))
        trips.clear()
        await connection.commit()
        assert trips == []  # a COMMIT runs on the loop's thread
    # Back in the pool, the connection is reset: nothing happened since the commit.
    assert trips == []
    async with engine.begin() as connection:
        pass  # begun and committed with no statement
    assert trips == []
    async with engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM t"))).scalars().all()
    assert names == ["庚"]


def pipelined(sql: str) -> Any:
    return text(sql).execution_options(**PIPELINED)


async def names_in(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(text("SELECT name FROM t ORDER BY id"))).scalars())


async def test_pipelined_writes_go_with_the_commit_in_one_trip(
    engine: AsyncEngine, trips: list[str], tmp_path: Path
) -> None:
    async with settled(engine, trips) as connection:
        first = await connection.execute(pipelined("INSERT INTO t (name) VALUES ('甲')"))
        await connection.execute(
            pipelined("INSERT INTO t (name) VALUES (:name)"), [{"name": "乙"}, {"name": "丙"}]
        )
        assert first.rowcount == -1  # nothing sent yet, nothing known
        assert not other_writer_is_locked_out(tmp_path / "driver.db")  # not even BEGIN
        await connection.commit()  # BEGIN IMMEDIATE, the three rows and COMMIT, at once
        assert trips == []
    assert await names_in(engine) == ["甲", "乙", "丙"]
    assert not other_writer_is_locked_out(tmp_path / "driver.db")


async def test_a_pipelined_write_runs_before_the_next_statement_in_its_trip(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.begin() as connection:
        trips.clear()
        await connection.execute(pipelined("INSERT INTO t (name) VALUES ('丁')"))
        count = await connection.execute(thread("SELECT count(*) FROM t WHERE name = '丁'"))
        assert count.scalar_one() == 1  # the transaction sees its own write
        assert trips == ["_execute"]
        result = await connection.stream(text("SELECT name FROM t"))  # streamed, too
        await connection.execute(pipelined("UPDATE t SET name = '戊'"))
        assert [row.name async for row in result] == ["丁"]
    assert await names_in(engine) == ["戊"]


@pytest.mark.parametrize("statement", [text, pipelined], ids=["at-once", "pipelined"])
async def test_an_error_arrives_as_sqlalchemy_s_and_the_connection_carries_on(
    engine: AsyncEngine, tmp_path: Path, statement: Callable[[str], Any]
) -> None:
    """A pipelined write's error arrives with the COMMIT that carried it."""
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('己')"))
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(statement("INSERT INTO t (name) VALUES ('庚')"))
            await connection.execute(statement("INSERT INTO t (name) VALUES ('己')"))
    assert await names_in(engine) == ["己"]  # 庚 was rolled back with it
    assert not other_writer_is_locked_out(tmp_path / "driver.db")
    async with engine.begin() as connection:  # the pool's connection carries on
        await connection.execute(statement("INSERT INTO t (name) VALUES ('辛')"))
    assert await names_in(engine) == ["己", "辛"]


async def test_a_rollback_drops_the_pipelined_writes_unsent(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with settled(engine, trips) as connection:
        await connection.execute(pipelined("INSERT INTO t (name) VALUES ('壬')"))
        await connection.rollback()
        await connection.execute(text("INSERT INTO t (name) VALUES ('癸')"))
        await connection.commit()
    assert await names_in(engine) == ["癸"]


# On the loop's thread


async def test_a_writer_s_statements_and_commit_run_on_the_loop_with_no_trip(
    engine: AsyncEngine, trips: list[str], tmp_path: Path
) -> None:
    async with settled(engine, trips) as connection:
        inserted = await connection.execute(text("INSERT INTO t (name) VALUES ('甲')"))
        assert inserted.lastrowid == 1 and inserted.rowcount == 1
        assert other_writer_is_locked_out(tmp_path / "driver.db")  # BEGIN IMMEDIATE went first
        await connection.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": "乙"}, {"name": "丙"}]
        )
        count = await connection.execute(text("SELECT count(*) FROM t"))
        assert count.scalar_one() == 3
        await connection.commit()
    assert trips == []
    assert await names_in(engine) == ["甲", "乙", "丙"]
    assert not other_writer_is_locked_out(tmp_path / "driver.db")


async def test_a_writer_waits_for_another_process_s_lock_on_the_driver_s_thread(
    engine: AsyncEngine, trips: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loop goes on while the writer waits: here, to let the other writer finish."""
    on_thread = asyncio.Event()
    counted = aiosqlite.Connection._execute

    async def noted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        on_thread.set()
        return await counted(self, fn, *args, **kwargs)

    async with settled(engine, trips) as connection:
        other = sqlite3.connect(tmp_path / "driver.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t (name) VALUES ('他')")
        monkeypatch.setattr(aiosqlite.Connection, "_execute", noted)
        writing = asyncio.create_task(
            connection.execute(text("INSERT INTO t (name) VALUES ('我')"))
        )
        await on_thread.wait()  # the statement went to the driver's thread, to wait there
        assert not writing.done()
        other.execute("COMMIT")
        other.close()
        await writing
        await connection.commit()
    assert trips == ["_execute"]
    assert await names_in(engine) == ["他", "我"]


async def test_a_reader_s_short_statement_runs_on_the_loop_and_a_long_one_moves_to_the_thread(
    engine: AsyncEngine, trips: list[str], tmp_path: Path
) -> None:
    readers = create_reader_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}", engine)
    count_far = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :far) "
        "SELECT count(*) FROM n"
    )
    try:
        async with readers.connect() as connection:
            await connection.execute(text("SELECT 1"))  # the pool's first connection
            trips.clear()
            short = await connection.execute(text(count_far), {"far": 10})
            assert short.scalar_one() == 10 and trips == []
            # Far past the budget on this machine or any: interrupted, then run again there.
            long = await connection.execute(text(count_far), {"far": 3_000_000})
            assert long.scalar_one() == 3_000_000
            assert trips == ["_execute"]
            again = await connection.execute(text(count_far), {"far": 10})
            assert again.scalar_one() == 10 and trips == ["_execute"]
    finally:
        await readers.dispose()


async def test_a_writer_s_long_query_moves_to_the_thread_and_its_transaction_carries_on(
    engine: AsyncEngine, trips: list[str]
) -> None:
    far = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) "
        "SELECT count(*) + (SELECT count(*) FROM t) FROM n"
    )
    async with settled(engine, trips) as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('卯')"))
        await connection.execute(pipelined("INSERT INTO t (name) VALUES ('辰')"))
        counted = await connection.execute(text(f"SELECT ({far})"))  # a SELECT, as a whole
        assert counted.scalar_one() == 3_000_002  # it saw the transaction's own two rows
        assert trips == ["_execute"]
        await connection.commit()
    assert await names_in(engine) == ["卯", "辰"]


async def test_a_statement_marked_on_thread_always_makes_its_trip(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with settled(engine, trips) as connection:
        await connection.execute(thread("INSERT INTO t (name) VALUES ('子')"))
        await connection.execute(text("INSERT INTO t (name) VALUES ('丑')"))
        await connection.execute(thread("SELECT name FROM t"))
        await connection.commit()
    assert trips == ["_execute", "_execute"]
    assert await names_in(engine) == ["子", "丑"]


async def test_options_reach_statements_without_parameters_and_batches_too(
    engine: AsyncEngine, trips: list[str]
) -> None:
    """The dialect marks the cursor on each of its three ways to execute (one statement,
    one with no parameters, many rows)."""
    async with settled(engine, trips) as connection:
        await connection.exec_driver_sql("SELECT count(*) FROM t", execution_options=ON_THREAD)
        assert trips == ["_execute"]
        await connection.execute(
            text("INSERT INTO t (name) VALUES (:name)").execution_options(**ON_THREAD),
            [{"name": "寅"}, {"name": "卯"}],
        )
        assert trips == ["_execute", "_executemany"]
        pipelined = await connection.execute(
            text("INSERT INTO t (name) VALUES (:name)").execution_options(**PIPELINED),
            [{"name": "辰"}, {"name": "巳"}],
        )
        assert pipelined.rowcount == -1  # not run: it waits for the COMMIT
        await connection.commit()
    assert await names_in(engine) == ["寅", "卯", "辰", "巳"]


async def test_the_engines_have_no_listeners_to_look_up_on_each_statement(
    engine: AsyncEngine,
) -> None:
    """BEGIN IMMEDIATE and the statements' options are the dialect's work: an engine with
    any connection-level listener makes SQLAlchemy dispatch events at every checkout,
    BEGIN, statement and COMMIT (docs/benchmarks.md)."""
    reader = create_reader_engine(str(engine.url), engine)
    try:
        events = [n for n in vars(ConnectionEvents) if not n.startswith("_") and n != "dispatch"]
        assert "before_cursor_execute" in events
        for each in (engine, reader):
            dispatch = each.sync_engine.dispatch
            for name in events:
                assert not list(getattr(dispatch, name)), (each, name)
    finally:
        await reader.dispose()


async def test_a_writer_s_statement_that_held_the_loop_long_is_logged(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sqlite_driver, "LOOP_WRITE_WARN_S", 0.0)  # every statement is "long"
    with caplog.at_level(logging.WARNING, logger=sqlite_driver.__name__):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES ('寅')"))
    assert "INSERT INTO t (name) VALUES ('寅')" in caplog.text
    assert "ON_THREAD" in caplog.text
