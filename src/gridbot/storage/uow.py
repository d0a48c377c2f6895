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
from typing import Generic, TypeVar, cast

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
from gridbot.storage.repositories.base import SqlRepository
from gridbot.storage.writers import WriterLock, WriterTurn

R = TypeVar("R", bound=SqlRepository)


class _Repository(Generic[R]):
    """A repository of the open unit of work, made on first use (a unit of work uses two
    or three of its nineteen), on the unit's current session."""

    def __init__(self, kind: type[R]) -> None:
        self._kind = kind
        self._name = kind.__name__

    def __set_name__(self, owner: type[SqlUnitOfWork], name: str) -> None:
        self._name = name

    def __get__(self, uow: SqlUnitOfWork | None, owner: type[SqlUnitOfWork]) -> R:
        if uow is None:
            raise AttributeError(self._name)
        made = uow._repositories.get(self._name)
        if made is None:
            made = uow._repositories[self._name] = self._kind(uow.session)
        return cast(R, made)


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

    org = _Repository(SqlOrgRepository)
    orgfile = _Repository(SqlOrgFileRepository)
    people = _Repository(SqlPersonRepository)
    categories = _Repository(SqlCategoryRepository)
    cases = _Repository(SqlCaseRepository)
    care = _Repository(SqlCareRepository)
    overdue = _Repository(SqlOverdueRepository)
    outbox = _Repository(SqlOutboxRepository)
    due = _Repository(SqlDueRepository)
    bindings = _Repository(SqlBindingRepository)
    patrols = _Repository(SqlPatrolRepository)
    leases = _Repository(SqlLeaseRepository)
    stats = _Repository(SqlStatsRepository)
    exports = _Repository(SqlExportRepository)
    ranking = _Repository(SqlRankingRepository)
    invites = _Repository(SqlInviteRepository)
    digests = _Repository(SqlDigestRepository)
    retention = _Repository(SqlRetentionRepository)
    conversations = _Repository(SqlConversationRepository)

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
        self._repositories: dict[str, SqlRepository] = {}

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
        self._session = self._session_factory()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        turn, self._turn = self._turn, None
        self._repositories.clear()
        try:
            if session.in_transaction():
                # Closing rolls back what is left (and gives the connection back first,
                # before the turn).
                await session.close()
            else:
                # Committed or never begun: no connection to give back, nothing to wait
                # for; the identity map is let go without a trip through a greenlet.
                session.sync_session.close()
        finally:
            if turn is not None:
                turn.owner.release(turn)

    async def commit(self) -> None:
        await self.session.commit()
        # Messages were queued with this change: the outbox sender need not wait for its
        # next poll to find them.
        outbox = self._repositories.get("outbox")
        if isinstance(outbox, SqlOutboxRepository) and outbox.added and self._on_outbox:
            outbox.added = 0
            self._on_outbox()

    async def rollback(self) -> None:
        deferred.forget(self.session)  # there may be no transaction yet to roll back
        await self.session.rollback()
