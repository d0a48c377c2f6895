"""Async engines tuned for each backend.

SQLite: WAL, a generous busy timeout, and every transaction opened with ``BEGIN IMMEDIATE``
so that a writer takes the write lock up front and waits for it (busy_timeout) instead of
failing with "database is locked" when it upgrades a read lock half-way through.
Do not cancel a task in the middle of a unit of work on SQLite: the cancelled connection
may keep the write lock, and every other writer then waits out the busy timeout. Work that
must survive a cancellation runs as a shielded task (see ``OutboxSender._write``).
PostgreSQL (asyncpg): a pre-pinged connection pool.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_engine(url: str, *, foreign_keys: bool = True) -> AsyncEngine:
    """An engine for ``url``; ``foreign_keys=False`` is for SQLite schema migrations only."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            # Every pooled connection would see its own empty database.
            raise ValueError("gridbot needs a SQLite file, not an in-memory database")
        return _create_sqlite_engine(url, foreign_keys=foreign_keys)
    return create_async_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_recycle=1800
    )


def _create_sqlite_engine(url: str, *, foreign_keys: bool) -> AsyncEngine:
    engine = create_async_engine(url, pool_size=10, max_overflow=20, pool_timeout=60)

    # The recipe of SQLAlchemy's SQLite dialect documentation ("Enabling Non-Legacy SQLite
    # Transactional Modes"), with IMMEDIATE instead of a deferred BEGIN.
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver must not emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
