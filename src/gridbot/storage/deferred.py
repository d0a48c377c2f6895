"""Rows that nobody reads back at once, written together later in the same transaction.

A use case adds case events, outbox messages and due items one by one; written one by one
they would cost a statement (and, on SQLite, a trip to the driver's thread while the write
lock is held) each. Queued here instead, each statement's rows go in one ``executemany``:
just before the session runs its next statement (so that whatever the unit of work reads
sees them, as with the ORM's autoflush), or when it commits; on SQLite they go with that
statement's or the COMMIT's trip to the driver (``sqlite_driver.PIPELINED``). The ORM's
pending changes are
flushed first, since queued rows may refer to them. A rollback forgets what was queued
(a savepoint's too: ``await write_deferred(session)`` before ``begin_nested()``, so that
what was queued before the savepoint is not forgotten with it).

The queue lives in ``session.info``; ``Session`` below is the session class that writes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlalchemy.sql import Executable

from gridbot.storage.sqlite_driver import PIPELINED

_KEY = "gridbot.deferred"


class Session(OrmSession):
    """The ORM session of gridbot's units of work: it writes ``defer()``-ed rows before
    any statement it runs (``execute``, ``scalar`` and ``scalars``, through which every
    query, ``get`` and load goes). Not a ``do_orm_execute`` listener: with one, the session
    prepares every ORM statement twice and builds an ``ORMExecuteState`` for each, a cost
    on every query of every update (docs/benchmarks.md)."""

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        if _KEY in self.info:
            _write(self)
        return super().execute(statement, *args, **kwargs)

    def scalar(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        if _KEY in self.info:
            _write(self)
        return super().scalar(statement, *args, **kwargs)

    def scalars(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        if _KEY in self.info:
            _write(self)
        return super().scalars(statement, *args, **kwargs)


def defer(session: OrmSession, statement: Executable, row: Mapping[str, Any]) -> None:
    """Queue ``row`` for ``statement`` (built once, with the row's keys as parameters)."""
    queue: dict[Executable, list[Mapping[str, Any]]] = session.info.setdefault(_KEY, {})
    queue.setdefault(statement, []).append(row)


def _write(session: OrmSession) -> None:
    queue: dict[Executable, list[Mapping[str, Any]]] | None = session.info.pop(_KEY, None)
    if not queue:
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    for statement, rows in queue.items():  # statements in the order first queued
        session.execute(statement, rows, execution_options=PIPELINED)


async def write_deferred(session: AsyncSession) -> None:
    """Write what is queued now (before a savepoint, say)."""
    if _KEY in session.info:
        await session.run_sync(_write)


def forget(session: AsyncSession) -> None:
    """Drop what is queued (a rollback; the session's own rollbacks drop it too)."""
    session.info.pop(_KEY, None)


@event.listens_for(Session, "before_commit")
def _before_commit(session: OrmSession) -> None:
    _write(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: OrmSession, previous: SessionTransaction) -> None:
    session.info.pop(_KEY, None)
