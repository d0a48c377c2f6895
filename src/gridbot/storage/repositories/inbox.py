"""The inbox of updates: recorded once by update_id, marked when handled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from gridbot.storage.repositories.base import SqlRepository, rowcount, table_of
from gridbot.storage.rows.inbox import InboxRow
from gridbot.storage.sqlite_driver import PIPELINED


class SqlInboxRepository(SqlRepository):
    async def record(self, updates: Sequence[tuple[int, str]], now: datetime) -> set[int]:
        """Insert each ``(update_id, payload)`` not recorded yet; the ids that were new.

        An update that comes again (Telegram resends what was not confirmed) is skipped by
        ``ON CONFLICT DO NOTHING``, handled or not."""
        if not updates:
            return set()
        statement = _RECORD[self._backend]
        rows = [{"update_id": i, "payload": p, "received_at": now} for i, p in updates]
        return set((await self._session.execute(statement, rows)).scalars())

    async def pending(self, *, received_before: datetime | None = None) -> list[tuple[int, str]]:
        """Updates recorded and not handled (recorded before ``received_before``, if given),
        oldest first."""
        query = select(InboxRow.update_id, InboxRow.payload).where(InboxRow.handled_at.is_(None))
        if received_before is not None:
            query = query.where(InboxRow.received_at < received_before)
        result = await self._session.execute(query.order_by(InboxRow.update_id))
        return [(update_id, payload) for update_id, payload in result]

    async def last_update_id(self) -> int | None:
        """The highest update id recorded (handled or not), if any."""
        found = await self._session.scalar(select(func.max(InboxRow.update_id)))
        return int(found) if found is not None else None

    async def mark_handled(self, update_ids: Iterable[int], now: datetime) -> None:
        ids = list(update_ids)
        if ids:
            await self._session.execute(_MARK, {"ids": ids, "at": now})

    async def forget_handled(self, before: datetime) -> int:
        """Drop updates handled before ``before``: Telegram no longer resends them."""
        result = await self._session.execute(delete(InboxRow).where(InboxRow.handled_at < before))
        return rowcount(result)


_TABLE = table_of(InboxRow)
# Built once, with the rows as parameters: a statement with its rows inside (``values``
# of a list) has no cache key, so SQLAlchemy compiled it again for every batch.
_RECORD = {
    dialect: insert(_TABLE)
    .on_conflict_do_nothing(index_elements=[_TABLE.c.update_id])
    .returning(_TABLE.c.update_id)
    for dialect, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
# Built once: every update runs it (docs/benchmarks.md); nobody reads its outcome, so on
# SQLite it goes with the transaction's next trip (sqlite_driver.PIPELINED).
_MARK = (
    update(_TABLE)
    .where(_TABLE.c.update_id.in_(bindparam("ids", expanding=True)))
    .values(handled_at=bindparam("at"))
    .execution_options(**PIPELINED)
)
