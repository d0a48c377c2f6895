"""The unit of work: one session, one transaction, committed explicitly."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gridbot.storage.repositories import (
    SqlBindingRepository,
    SqlCareRepository,
    SqlCaseRepository,
    SqlCategoryRepository,
    SqlDueRepository,
    SqlLeaseRepository,
    SqlOrgRepository,
    SqlOutboxRepository,
    SqlPatrolRepository,
    SqlPersonRepository,
)


class SqlUnitOfWork:
    """``async with uow: ...; await uow.commit()``. Leaving the block rolls back the rest.

    Repositories are available only inside the block. One instance may be entered again
    after it was left, with a new session each time, but not concurrently.
    """

    org: SqlOrgRepository
    people: SqlPersonRepository
    categories: SqlCategoryRepository
    cases: SqlCaseRepository
    care: SqlCareRepository
    outbox: SqlOutboxRepository
    due: SqlDueRepository
    bindings: SqlBindingRepository
    patrols: SqlPatrolRepository
    leases: SqlLeaseRepository

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        """The open session, for queries that have no repository yet (reports, exports)."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use `async with uow:`")
        return self._session

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._session is not None:
            raise RuntimeError("the unit of work is already open")
        session = self._session = self._session_factory()
        self.org = SqlOrgRepository(session)
        self.people = SqlPersonRepository(session)
        self.categories = SqlCategoryRepository(session)
        self.cases = SqlCaseRepository(session)
        self.care = SqlCareRepository(session)
        self.outbox = SqlOutboxRepository(session)
        self.due = SqlDueRepository(session)
        self.bindings = SqlBindingRepository(session)
        self.patrols = SqlPatrolRepository(session)
        self.leases = SqlLeaseRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        try:
            await session.rollback()
        finally:
            await session.close()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
