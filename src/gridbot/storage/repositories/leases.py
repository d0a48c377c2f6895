"""Named leases: one upsert takes, renews or refuses a lease, so it cannot race."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from gridbot.storage.repositories.base import SqlRepository
from gridbot.storage.rows import LeaseRow


class SqlLeaseRepository(SqlRepository):
    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """``INSERT … ON CONFLICT (name) DO UPDATE … WHERE`` the lease is expired or ours:
        the row lock of the conflicting row (PostgreSQL) or the single writer (SQLite)
        makes the check and the update one step. No row comes back when another holds it."""
        insert = postgresql.insert if self._backend == "postgresql" else sqlite.insert
        statement = insert(LeaseRow).values(name=name, holder=holder, expires_at=now + ttl)
        take = statement.on_conflict_do_update(
            index_elements=[LeaseRow.name],
            set_={"holder": statement.excluded.holder, "expires_at": statement.excluded.expires_at},
            where=or_(LeaseRow.expires_at < now, LeaseRow.holder == holder),
        ).returning(LeaseRow.holder)
        taken = (await self._session.execute(take)).scalar_one_or_none()
        return taken == holder

    async def release(self, name: str, holder: str) -> None:
        await self._session.execute(
            delete(LeaseRow).where(LeaseRow.name == name, LeaseRow.holder == holder)
        )

    async def held(self, prefix: str, now: datetime) -> Sequence[tuple[str, str]]:
        found = await self._session.execute(
            select(LeaseRow.name, LeaseRow.holder)
            .where(LeaseRow.name.startswith(prefix, autoescape=True))
            .where(LeaseRow.expires_at >= now)
            .order_by(LeaseRow.name)
        )
        return [(name, holder) for name, holder in found]
