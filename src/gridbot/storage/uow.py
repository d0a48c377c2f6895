"""The unit of work: one session, one transaction, committed explicitly.

Writers (``db.uow()``) and readers (``db.reader()``) share this class and its repositories.
A writer on SQLite first waits for its turn on the ``Database``'s ``WriterLock`` (one write
transaction of the process at a time), then begins with ``BEGIN IMMEDIATE``, and gives the
turn back when the block is left; a writer opened inside another writer of the same
``Database`` and task raises ``RuntimeError`` instead of waiting for itself. A reader takes
no turn and no write lock: it sees what was committed (never a writer's uncommitted rows),
and any write through it fails (SQLite ``query_only``, PostgreSQL ``READ ONLY``).
PostgreSQL writers take no turn (row locks and MVCC serialise what must be serialised), so
nothing refuses nested writers there.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gridbot.storage import deferred
from gridbot.storage.repositories import (
    SqlBindingRepository,
    SqlCareRepository,
    SqlCaseRepository,
    SqlCategoryRepository,
    SqlConversationRepository,
    SqlDigestRepository,
    SqlDueRepository,
    SqlExportRepository,
    SqlInviteRepository,
    SqlLeaseRepository,
    SqlOrgFileRepository,
    SqlOrgRepository,
    SqlOutboxRepository,
    SqlOverdueRepository,
    SqlPatrolRepository,
    SqlPersonRepository,
    SqlRankingRepository,
    SqlRetentionRepository,
    SqlStatsRepository,
)
from gridbot.storage.writers import WriterLock, WriterTurn


class SqlUnitOfWork:
    """``async with uow: ...; await uow.commit()``. Leaving the block rolls back the rest.

    Repositories are available only inside the block. One instance may be entered again
    after it was left, with a new session each time, but not concurrently.

    With ``writer_lock`` (SQLite writers) entering waits for a turn on it and leaving gives
    the turn back, after the rollback and close. ``read_only`` marks a reader: on a reader
    ``commit()`` ends the read transaction like ``rollback()`` (there is nothing to commit;
    changes added to the session would be flushed first and fail, as any write does) and
    the next query starts a new one, which sees what was committed meanwhile.
    """

    org: SqlOrgRepository
    orgfile: SqlOrgFileRepository
    people: SqlPersonRepository
    categories: SqlCategoryRepository
    cases: SqlCaseRepository
    care: SqlCareRepository
    overdue: SqlOverdueRepository
    outbox: SqlOutboxRepository
    due: SqlDueRepository
    bindings: SqlBindingRepository
    patrols: SqlPatrolRepository
    leases: SqlLeaseRepository
    stats: SqlStatsRepository
    exports: SqlExportRepository
    ranking: SqlRankingRepository
    invites: SqlInviteRepository
    digests: SqlDigestRepository
    retention: SqlRetentionRepository
    conversations: SqlConversationRepository

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        writer_lock: WriterLock | None = None,
        read_only: bool = False,
        on_outbox: Callable[[], None] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._on_outbox = on_outbox
        self._writer_lock = writer_lock
        self.read_only = read_only
        self._session: AsyncSession | None = None
        self._turn: WriterTurn | None = None
        self._entering = False

    @property
    def session(self) -> AsyncSession:
        """The open session, for queries that have no repository yet (reports, exports)."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use `async with uow:`")
        return self._session

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._session is not None or self._entering:
            raise RuntimeError("the unit of work is already open")
        if self._writer_lock is not None:
            self._entering = True
            try:
                self._turn = await self._writer_lock.acquire()
            finally:
                self._entering = False
        session = self._session = self._session_factory()
        self.org = SqlOrgRepository(session)
        self.orgfile = SqlOrgFileRepository(session)
        self.people = SqlPersonRepository(session)
        self.categories = SqlCategoryRepository(session)
        self.cases = SqlCaseRepository(session)
        self.care = SqlCareRepository(session)
        self.overdue = SqlOverdueRepository(session)
        self.outbox = SqlOutboxRepository(session)
        self.due = SqlDueRepository(session)
        self.bindings = SqlBindingRepository(session)
        self.patrols = SqlPatrolRepository(session)
        self.leases = SqlLeaseRepository(session)
        self.stats = SqlStatsRepository(session)
        self.exports = SqlExportRepository(session)
        self.ranking = SqlRankingRepository(session)
        self.invites = SqlInviteRepository(session)
        self.digests = SqlDigestRepository(session)
        self.retention = SqlRetentionRepository(session)
        self.conversations = SqlConversationRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        turn, self._turn = self._turn, None
        try:
            try:
                await session.rollback()
            finally:
                await session.close()
        finally:
            if turn is not None:
                turn.owner.release(turn)

    async def commit(self) -> None:
        await self.session.commit()
        # Messages were queued with this change: the outbox sender need not wait for its
        # next poll to find them.
        if self.outbox.added and self._on_outbox is not None:
            self.outbox.added = 0
            self._on_outbox()

    async def rollback(self) -> None:
        deferred.forget(self.session)  # there may be no transaction yet to roll back
        await self.session.rollback()
