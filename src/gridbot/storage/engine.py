"""Async engines tuned for each backend: one for writers, one (or a view of it) for readers.

SQLite: WAL and a generous busy timeout on every connection. Writers' transactions open
with ``BEGIN IMMEDIATE``, so a writer takes the write lock up front and waits for it instead
of failing with "database is locked" when it upgrades a read lock half-way through; within
one process writers also take turns on an asyncio lock first (``WriterLock``), so the busy
timeout only ever waits for other processes, and only on the driver's thread (statements
run on the event loop's thread when they cannot make it wait: ``sqlite_driver``).
Readers have an engine of their own, on connections with ``PRAGMA query_only = ON`` (a
write through a reader fails loudly): each of their statements runs in SQLite's own
deferred read transaction, which in WAL mode never waits for the writer, nor it for them.
No explicit ``BEGIN``: no reader needs one snapshot across its statements, and without one
a reader's statement can be interrupted and run again elsewhere (nor does its pool roll
back a connection that comes back).
Do not cancel a task in the middle of a unit of work on SQLite: the cancelled connection
may keep the write lock, and every other writer then waits out the busy timeout (its turn
in this process is given back all the same, to a writer that will wait for that lock).
Work that must survive a cancellation runs as a shielded task (see
``OutboxSender._write``). Cancelling a writer while it waits for its turn, before its
transaction began, is safe.

PostgreSQL (asyncpg): a pre-pinged connection pool; readers use the same pool with
``postgresql_readonly`` (their transactions begin ``READ ONLY``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from gridbot.storage import sqlite_driver

SQLITE_BUSY_TIMEOUT_MS = sqlite_driver.BUSY_TIMEOUT_MS
WAL_AUTOCHECKPOINT_PAGES = 10_000


def create_engine(url: str, *, foreign_keys: bool = True) -> AsyncEngine:
    """The writers' engine for ``url``; ``foreign_keys=False`` is for SQLite schema
    migrations only."""
    if _is_sqlite(url):
        return _create_sqlite_engine(url, foreign_keys=foreign_keys, read_only=False)
    return create_async_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_recycle=1800
    )


def create_reader_engine(url: str, writers: AsyncEngine) -> AsyncEngine:
    """The readers' engine next to ``writers`` (the engine of ``create_engine(url)``).

    SQLite: an engine of its own (own pool, ``query_only``, no explicit transaction);
    dispose of it too. PostgreSQL: ``writers`` with ``postgresql_readonly``, sharing its pool.
    """
    if _is_sqlite(url):
        return _create_sqlite_engine(url, foreign_keys=True, read_only=True)
    return writers.execution_options(postgresql_readonly=True)


def _is_sqlite(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    if parsed.database in (None, "", ":memory:"):
        # Every pooled connection would see its own empty database.
        raise ValueError("gridbot needs a SQLite file, not an in-memory database")
    return True


def _create_sqlite_engine(url: str, *, foreign_keys: bool, read_only: bool) -> AsyncEngine:
    # A reader never opens a transaction, so its connection needs no rollback when it comes
    # back to the pool (a trip to the driver's thread saved); a writer's always gets one.
    engine = create_async_engine(
        # the dialect that tells the driver of each BEGIN and statement
        make_url(url).set(drivername=f"sqlite+{sqlite_driver.DRIVER}"),
        # statements on the loop's thread, or one trip to the driver's thread each
        module=sqlite_driver.dbapi(read_only=read_only),
        pool_size=10,
        max_overflow=20,
        pool_timeout=60,
        pool_reset_on_return=None if read_only else "rollback",
        # and the session's ROLLBACK at the end of a reader's unit of work is skipped too:
        # the connections run in sqlite3's autocommit mode, so there is nothing to undo
        skip_autocommit_rollback=read_only,
    )

    # The recipe of SQLAlchemy's SQLite dialect documentation ("Enabling Non-Legacy SQLite
    # Transactional Modes"): here the driver's own BEGIN is turned off; the writers'
    # BEGIN IMMEDIATE is the dialect's (sqlite_driver.OneTripDialect.do_begin). A pool
    # event, called once per new connection: the engine itself has no listener.
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver must not emit BEGIN itself
        cursor = dbapi_connection.cursor()
        if isinstance(cursor, sqlite_driver.OneTripCursor):
            cursor.on_thread = True  # setting WAL up may wait for a lock
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")  # kept in the file: a no-op once set
        cursor.execute("PRAGMA synchronous = NORMAL")
        # A COMMIT that finds the log this long copies it into the database file, fsync
        # included, while its writer holds the lock: SQLite's 1,000 pages (4 MB) made one
        # COMMIT in some forty take 200 ms under load. A process that writes a lot
        # checkpoints in the background instead (Database.checkpoint); this is the backstop.
        cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    return engine
