"""The database of one gridbot instance: an engine and units of work over it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from gridbot.storage.engine import create_engine
from gridbot.storage.uow import SqlUnitOfWork


class Database:
    """``Database(url)``; ``db.uow()`` gives a fresh unit of work; ``await db.dispose()``.

    The schema is not created here: run ``gridbot.storage.migrate.upgrade(url)`` first.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: AsyncEngine = create_engine(url)
        self.session_factory = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.session_factory)

    async def dispose(self) -> None:
        await self.engine.dispose()
