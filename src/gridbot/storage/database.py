"""The database of one gridbot instance: engines and units of work over them.

``db.uow()`` is a writing unit of work, ``db.reader()`` a read-only one. Use a reader for
work that only reads: it never waits for writers (nor they for it). On SQLite a writer
holds its turn among the process's writers from entering its block until leaving it,
committed or not (see ``gridbot.storage.writers``): keep writing blocks short, with no
network calls inside. Never open a writer inside another writer of the same task: on
SQLite that raises ``RuntimeError`` (PostgreSQL allows it, but code must run on both).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from gridbot.storage import deferred, sqlite_driver
from gridbot.storage.engine import create_engine, create_reader_engine
from gridbot.storage.uow import SqlUnitOfWork
from gridbot.storage.writers import WriterLock


class Database:
    """``Database(url)``; ``db.uow()`` or ``db.reader()`` gives a fresh unit of work;
    ``await db.dispose()``.

    The schema is not created here: run ``gridbot.storage.migrate.upgrade(url)`` first.
    Use one ``Database`` from one event loop at a time: its connections and its writer lock
    belong to the loop that uses them (a loop that ended leaves nothing behind in the lock;
    two loops at once would not exclude each other's writers and would wait for each other
    in SQLite's busy handler, like two processes).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: AsyncEngine = create_engine(url)
        self.session_factory = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=deferred.Session
        )
        sqlite = self.backend == "sqlite"
        # SQLite: an engine of its own; PostgreSQL: a read-only view sharing the pool.
        self.reader_engine: AsyncEngine = create_reader_engine(url, self.engine)
        self._own_reader_engine = sqlite
        self.reader_session_factory = async_sessionmaker(self.reader_engine, expire_on_commit=False)
        # PostgreSQL writers need no turns: row locks and MVCC do the job.
        self.writer_lock: WriterLock | None = WriterLock() if sqlite else None
        # Called after a commit that queued outbox messages (the sender's wake-up call).
        self.outbox_listeners: list[Callable[[], None]] = []

    @property
    def backend(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def uow(self) -> SqlUnitOfWork:
        """A writing unit of work (on SQLite it waits for its turn among this process's
        writers when entered)."""
        return SqlUnitOfWork(
            self.session_factory, writer_lock=self.writer_lock, on_outbox=self._outbox_written
        )

    def _outbox_written(self) -> None:
        for listener in self.outbox_listeners:
            listener()

    def reader(self) -> SqlUnitOfWork:
        """A read-only unit of work: no turn, no write lock, and every write fails."""
        return SqlUnitOfWork(self.reader_session_factory, read_only=True)

    async def checkpoint(self) -> int:
        """SQLite: copy what the write-ahead log holds into the database file, waiting for
        no reader or writer (a PASSIVE checkpoint); returns how many of the log's pages are
        still not copied (those a reader still needs; 0 as a rule). A process that writes
        a lot calls it every second or so (``gridbot run`` does), so that no writer's
        COMMIT has to checkpoint a big log, with its fsync, under the write lock.
        PostgreSQL: nothing to do (0)."""
        if self.backend != "sqlite":
            return 0
        async with self.reader_engine.connect() as connection:
            result = await connection.exec_driver_sql(
                "PRAGMA wal_checkpoint(PASSIVE)", execution_options=sqlite_driver.ON_THREAD
            )
            _busy, in_log, copied = tuple(result.one())
        return max(0, int(in_log) - int(copied))

    async def dispose(self) -> None:
        try:
            await self.engine.dispose()
        finally:
            if self._own_reader_engine:
                await self.reader_engine.dispose()
