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
Everything else is SQLAlchemy's adapter as it is.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    AsyncAdapt_aiosqlite_ss_cursor,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

Outcome = tuple[list[Any], Any, int, int | None]
# The execution option of a statement to pipeline (``stmt.execution_options(**PIPELINED)``).
PIPELINED = {"gridbot_pipelined": True}
# Statements waiting for the next trip: (operation, parameters, executemany).
Pending = list[tuple[str, Any, bool]]
_NO_OUTCOME: Outcome = ([], None, -1, None)


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


def _commit(connection: sqlite3.Connection, begin: str | None, pending: Pending) -> None:
    _start(connection, begin, pending)
    connection.commit()


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
    """A buffered cursor: the statement runs and its rows arrive in one call."""

    __slots__ = ("_description", "_lastrowid", "_rowcount", "pipelined")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self.pipelined = False  # set per statement from its execution options (engine.py)

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
    __slots__ = ("_begin", "_touched", "pending")
    _cursor_cls = OneTripCursor  # type: ignore[assignment]  # a subclass, as mypy misses
    _ss_cursor_cls = StreamingCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._begin: str | None = None  # to run before the next statement
        self._touched = False  # a cursor was opened since the last commit or rollback
        self.pending: Pending = []  # pipelined statements, for the next trip

    def begin_with(self, statement: str) -> None:
        """Open the transaction with ``statement``, in the trip of the next statement."""
        self._begin = statement

    def take_begin(self) -> str | None:
        begin, self._begin = self._begin, None
        return begin

    def take_pending(self) -> Pending:
        pending, self.pending = self.pending, []
        return pending

    def cursor(self, server_side: bool = False) -> Any:
        self._touched = True
        return super().cursor(server_side)

    def commit(self) -> None:
        if not self.pending:
            self._end(super().commit)
            return
        begin, pending = self.take_begin(), self.take_pending()
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        try:  # what waits, and the COMMIT, in one trip
            await_(connection._execute(_commit, connection._conn, begin, pending))  # type: ignore[no-untyped-call]
        except Exception as error:
            self._handle_exception(error)  # still touched: the ROLLBACK that follows runs
        self._touched = False

    def rollback(self) -> None:
        self.pending = []
        self._end(super().rollback)

    def _end(self, end: Any) -> None:
        self._begin = None
        if self._touched:
            self._touched = False
            end()


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module to give ``create_async_engine(url, module=...)``."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def dbapi() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)
