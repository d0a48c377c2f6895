"""SQLAlchemy's aiosqlite adapter, with one trip to the driver's thread per statement.

aiosqlite runs each sqlite3 call on a thread of its own; SQLAlchemy's adapter makes four
such calls for a query (open a cursor, execute, fetch, close) and three for a write. Every
trip hands the work to the thread and the answer back to the event loop, and a busy loop
answers late: a unit of work of twenty statements held the write lock for hundreds of
milliseconds under load, most of it waiting for its turns of the loop (docs/benchmarks.md).
Here a statement is one call on the thread that opens, executes, fetches and closes at
once. A writer's ``BEGIN IMMEDIATE`` goes with its first statement (``begin_with``), and a
COMMIT or ROLLBACK with no statement since the last one (a connection coming back to the
pool after a commit, say) makes no trip: in sqlite3's autocommit mode, which both engines
use, no transaction can be open then.

A statement whose outcome nobody reads (rows written that nobody reads back at once: case
events, outbox rows, an inbox mark, a conversation) may be *pipelined*: run with the
execution option ``PIPELINED``, it makes no trip of its own but goes with the next one, the
transaction's next statement or its COMMIT, in order. Its cursor reports no rows and a
rowcount of -1, and an error it meets is raised by that next statement or the COMMIT (the
transaction is then rolled back as for any failed commit). A ROLLBACK drops what waits.

Most statements make no trip at all: they run on the event loop's thread, in the call that
asks for them (no trip, no greenlet switch). A trip costs the loop more than a short
statement does, and SQLite answers an indexed lookup in microseconds; three rules keep the
loop from waiting on it:

- a query (a reader's statement, from an engine made with ``read_only``, or a SELECT in a
  writer's transaction) may run on the loop for ``LOOP_READ_BUDGET_S``: one that runs
  longer (statistics over a district, say) is interrupted there and run again on the
  driver's thread (an interrupted query leaves its transaction as it was);
- a writer's ``BEGIN IMMEDIATE`` on the loop does not wait for another process's write
  lock: when the database is busy, the transaction begins on the driver's thread instead,
  which waits for it (the busy timeout); once a writer holds the lock, its statements and
  writes and its COMMIT run on the loop (in WAL mode nothing else can make them wait);
- a statement that may take long in one step, where SQLite cannot interrupt it, or a
  bulk load, is run with the execution option ``ON_THREAD`` and always makes its trip (a
  checkpoint, the org file's and the purge's batches). A writer's statement that held the
  loop longer than ``LOOP_WRITE_WARN_S`` is logged, to be marked so.

The dialect (``OneTripDialect``, the URL's driver ``sqlite+gridbot_onetrip``) tells the driver
what it needs of the engine: a writer's BEGIN, and each statement's execution options.
Engine events could do the same, but an engine with any listener makes SQLAlchemy look
its listeners up at every checkout, BEGIN, statement, COMMIT and return of every
connection; the dialect's own methods are called anyway.

Everything else is SQLAlchemy's adapter as it is.
"""

from __future__ import annotations

import collections
import logging
import sqlite3
import time
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    AsyncAdapt_aiosqlite_ss_cursor,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

log = logging.getLogger(__name__)

Outcome = tuple[list[Any], Any, int, int | None]
# The execution option of a statement to pipeline (``stmt.execution_options(**PIPELINED)``).
PIPELINED = {"gridbot_pipelined": True}
# The execution option of a statement that must run on the driver's thread, never on the loop.
ON_THREAD = {"gridbot_on_thread": True}
BUSY_TIMEOUT_MS = 30_000  # how long a statement on the driver's thread waits for a lock
LOOP_READ_BUDGET_S = 0.002  # a reader's statement on the loop is interrupted after this
LOOP_WRITE_WARN_S = 0.05  # a writer's statement that held the loop this long is logged
_PROGRESS_STEPS = 1_000  # SQLite's virtual machine steps between two looks at the budget
# Statements waiting for the next trip: (operation, parameters, executemany).
Pending = list[tuple[str, Any, bool]]
_NO_OUTCOME: Outcome = ([], None, -1, None)


def _busy(error: sqlite3.OperationalError) -> bool:
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


def _begin_without_waiting(connection: sqlite3.Connection, begin: str) -> bool:
    """On the loop's thread: ``begin``, unless another connection holds the write lock
    (False: nothing was done)."""
    connection.execute("PRAGMA busy_timeout = 0")
    try:
        connection.execute(begin)
    except sqlite3.OperationalError as error:
        if _busy(error):
            return False
        raise
    finally:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return True


def _is_query(work: Any, arguments: tuple[Any, ...]) -> bool:
    """A single SELECT: interrupting it changes nothing, in a transaction or not."""
    return work is _execute and str(arguments[0]).lstrip()[:6].upper() == "SELECT"


async def _done() -> None:
    return None


def _over(deadline: float) -> Any:
    def interrupt() -> bool:
        return time.perf_counter() > deadline

    return interrupt


def _start(connection: sqlite3.Connection, begin: str | None, pending: Pending) -> None:
    """On the driver's thread: the transaction's BEGIN, then what waits, in order."""
    if begin is not None:
        connection.execute(begin)
    for operation, parameters, many in pending:
        if many:
            connection.executemany(operation, parameters)
        elif parameters is None:
            connection.execute(operation)
        else:
            connection.execute(operation, parameters)


def _commit(connection: sqlite3.Connection, begin: str | None, pending: Pending) -> Outcome:
    _start(connection, begin, pending)
    connection.commit()
    return _NO_OUTCOME


def _execute(
    connection: sqlite3.Connection,
    begin: str | None,
    pending: Pending,
    operation: str,
    parameters: Any,
) -> Outcome:
    _start(connection, begin, pending)
    cursor = connection.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return rows, cursor.description, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _executemany(
    connection: sqlite3.Connection,
    begin: str | None,
    pending: Pending,
    operation: str,
    rows: Sequence[Any],
) -> Outcome:
    _start(connection, begin, pending)
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, rows)
        found = cursor.fetchall() if cursor.description else []
        return found, cursor.description, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor: the statement runs and its rows arrive in one call, on the loop's
    thread when it may, else in one trip to the driver's."""

    __slots__ = ("_description", "_lastrowid", "_rowcount", "on_thread", "pipelined")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        # set per statement from its execution options (engine.py)
        self.pipelined = False
        self.on_thread = False

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    def close(self) -> None:
        self._rows.clear()

    async def _async_soft_close(self) -> None:
        return None  # nothing stays open on the driver's thread

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        here = not self.pipelined and not self.on_thread
        if here and self._here(_execute, operation, parameters):
            return
        super().execute(operation, parameters)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        if not self.pipelined and not self.on_thread:
            rows = list(seq_of_parameters)
            if self._here(_executemany, operation, rows):
                return
            seq_of_parameters = rows
        super().executemany(operation, seq_of_parameters)

    def _here(self, work: Any, operation: Any, parameters: Any) -> bool:
        """Run the statement on the loop's thread; False when it must make its trip."""
        adapted: OneTripConnection = self._adapt_connection  # type: ignore[assignment]
        try:
            outcome = adapted.run_here(work, operation, parameters)
        except Exception as error:
            adapted._handle_exception(error)
        if outcome is None:
            return False
        self._keep(outcome)
        # SQLAlchemy's AsyncConnection.execute insists that a statement awaited something;
        # this await finishes at once, without giving the loop a turn.
        await_(_done())
        return True

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        if self.pipelined:
            self._pipeline(operation, parameters, many=False)
            return
        async with self._adapt_connection._execute_mutex:
            outcome = await self._on_thread(_execute, operation, parameters)
        self._keep(outcome)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        if self.pipelined:
            self._pipeline(operation, list(seq_of_parameters), many=True)
            return
        async with self._adapt_connection._execute_mutex:
            outcome = await self._on_thread(_executemany, operation, list(seq_of_parameters))
        self._keep(outcome)

    def _pipeline(self, operation: Any, parameters: Any, *, many: bool) -> None:
        adapted: OneTripConnection = self._adapt_connection  # type: ignore[assignment]
        adapted.pending.append((operation, parameters, many))
        self._keep(_NO_OUTCOME)

    async def _on_thread(self, work: Any, operation: Any, parameters: Any) -> Outcome:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        adapted: OneTripConnection = self._adapt_connection  # type: ignore[assignment]
        begin, pending = adapted.take_begin(), adapted.take_pending()
        # aiosqlite's own way onto its thread (untyped, and private, but stable since 0.17)
        result: Outcome = await connection._execute(  # type: ignore[no-untyped-call]
            work, connection._conn, begin, pending, operation, parameters
        )
        return result

    def _keep(self, outcome: Outcome) -> None:
        rows, self._description, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)


class StreamingCursor(AsyncAdapt_aiosqlite_ss_cursor):
    """SQLAlchemy's cursor for streamed results (rows fetched as they are read), which
    begins a transaction that is still to begin, and runs what waits, first, in a trip of
    its own."""

    __slots__ = ()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        adapted: OneTripConnection = self._adapt_connection  # type: ignore[assignment]
        begin, pending = adapted.take_begin(), adapted.take_pending()
        if begin is not None or pending:
            connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
            await connection._execute(_start, connection._conn, begin, pending)  # type: ignore[no-untyped-call]
        return await super()._execute_async(operation, parameters)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_begin", "_touched", "pending", "read_only")
    _cursor_cls = OneTripCursor  # type: ignore[assignment]  # a subclass, as mypy misses
    _ss_cursor_cls = StreamingCursor

    def __init__(self, dbapi: Any, connection: Any, *, read_only: bool = False) -> None:
        super().__init__(dbapi, connection)
        self._begin: str | None = None  # to run before the next statement
        self._touched = False  # a cursor was opened since the last commit or rollback
        self.pending: Pending = []  # pipelined statements, for the next trip
        self.read_only = read_only  # a reader's connection: its statements may be interrupted

    def begin_with(self, statement: str) -> None:
        """Open the transaction with ``statement``, with the next statement."""
        self._begin = statement

    def take_begin(self) -> str | None:
        begin, self._begin = self._begin, None
        return begin

    def take_pending(self) -> Pending:
        pending, self.pending = self.pending, []
        return pending

    def run_here(self, work: Any, *arguments: Any) -> Outcome | None:
        """``work`` (after the transaction's BEGIN and what waits) on the loop's thread;
        None when it must go to the driver's thread instead: the connection is in use
        there, another process holds the write lock (nothing was done), or a query ran over
        its budget (interrupted; a query's interruption leaves the transaction as it was)."""
        if self._execute_mutex.locked():
            return None
        connection: sqlite3.Connection = self._connection._conn
        if self._begin is not None:
            if not _begin_without_waiting(connection, self._begin):
                return None
            self._begin = None
        if self.pending:
            _start(connection, None, self.take_pending())
        if self.read_only or _is_query(work, arguments):
            deadline = time.perf_counter() + LOOP_READ_BUDGET_S
            connection.set_progress_handler(_over(deadline), _PROGRESS_STEPS)
            try:
                outcome: Outcome = work(connection, None, [], *arguments)
            except sqlite3.OperationalError as error:
                if getattr(error, "sqlite_errorcode", 0) == sqlite3.SQLITE_INTERRUPT:
                    return None
                raise
            finally:
                connection.set_progress_handler(None, 0)
            return outcome
        started = time.perf_counter()
        try:
            outcome = work(connection, None, [], *arguments)
        finally:
            took = time.perf_counter() - started
            if took > LOOP_WRITE_WARN_S:
                log.warning(
                    "a statement held the event loop for %.0f ms (run it with ON_THREAD): %.120s",
                    took * 1000,
                    arguments[0] if arguments else work.__name__,
                )
        return outcome

    def cursor(self, server_side: bool = False) -> Any:
        self._touched = True
        return super().cursor(server_side)

    def commit(self) -> None:
        if not self.pending:
            self._end(self._commit_here)
            return
        try:  # what waits, and the COMMIT, at once
            if self.run_here(_commit) is None:
                begin, pending = self.take_begin(), self.take_pending()
                connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
                await_(connection._execute(_commit, connection._conn, begin, pending))  # type: ignore[no-untyped-call]
        except Exception as error:
            self._handle_exception(error)  # still touched: the ROLLBACK that follows runs
        self._touched = False

    def rollback(self) -> None:
        self.pending = []
        self._end(self._rollback_here)

    def _commit_here(self) -> None:
        try:  # in WAL mode a COMMIT does not wait for a lock
            self._connection._conn.commit()
        except Exception as error:
            self._handle_exception(error)

    def _rollback_here(self) -> None:
        try:
            self._connection._conn.rollback()
        except Exception as error:
            self._handle_exception(error)

    def _end(self, end: Any) -> None:
        self._begin = None
        if self._touched:
            self._touched = False
            end()


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module to give ``create_async_engine(url, module=...)``; ``read_only`` for
    a readers' engine."""

    def __init__(self, aiosqlite: Any, sqlite: Any, *, read_only: bool) -> None:
        super().__init__(aiosqlite, sqlite)
        self.read_only = read_only

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        # The loop's thread uses the connection too (one at a time, never both at once).
        kw["check_same_thread"] = False
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection, read_only=self.read_only)


def dbapi(*, read_only: bool = False) -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3, read_only=read_only)


DRIVER = "gridbot_onetrip"  # sqlite+gridbot_onetrip://: the dialect below


class OneTripDialect(SQLiteDialect_aiosqlite):
    """SQLAlchemy's aiosqlite dialect, for connections of ``dbapi()`` (the engine's
    ``module``). A writer's transaction begins with ``BEGIN IMMEDIATE``, sent with its
    first statement (a reader's connection begins none: each of its statements is its own
    read transaction); each statement's ``PIPELINED`` and ``ON_THREAD`` options reach its
    cursor."""

    driver = DRIVER
    supports_statement_cache = True

    def do_begin(self, dbapi_connection: Any) -> None:
        adapted = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
        if not isinstance(adapted, OneTripConnection):
            raise TypeError(f"{DRIVER} needs the connections of sqlite_driver.dbapi()")
        if not adapted.read_only:
            adapted.begin_with("BEGIN IMMEDIATE")

    def do_execute(self, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        _mark(cursor, context)
        cursor.execute(statement, parameters)

    def do_execute_no_params(self, cursor: Any, statement: str, context: Any = None) -> None:
        _mark(cursor, context)
        cursor.execute(statement)

    def do_executemany(
        self, cursor: Any, statement: str, parameters: Any, context: Any = None
    ) -> None:
        _mark(cursor, context)
        cursor.executemany(statement, parameters)


def _mark(cursor: Any, context: Any) -> None:
    """The statement's options, on its cursor (a fresh one for each statement)."""
    if isinstance(cursor, OneTripCursor) and context is not None:
        options = context.execution_options
        cursor.pipelined = bool(options.get("gridbot_pipelined"))
        cursor.on_thread = bool(options.get("gridbot_on_thread"))


registry.register(f"sqlite.{DRIVER}", __name__, "OneTripDialect")
