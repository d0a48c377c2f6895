"""The same store opened again, as another bot process opens it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gridbot.storage.database import Database


@asynccontextmanager
async def opened_again(database: Database) -> AsyncIterator[Database]:
    """A new ``Database`` on ``database``'s URL: its own engines, pool and write lock,
    sharing nothing with the first but the store; disposed on the way out."""
    other = Database(database.url)
    try:
        yield other
    finally:
        await other.dispose()
