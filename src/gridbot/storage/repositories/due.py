"""Due items: work that falls due later, claimed exactly once by a scheduler tick."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from gridbot.domain.messaging import DueItem, DueKind
from gridbot.storage.deferred import defer
from gridbot.storage.repositories.base import SqlRepository, rowcount, table_of
from gridbot.storage.rows import DueItemRow

UNIQUE_KEY = ("kind", "ref", "due_at")
# Built once, for each dialect, on the table (Core: one executemany for all the rows):
# an item already scheduled is left as it is.
_TABLE = table_of(DueItemRow)
_QUEUE = {
    "postgresql": postgresql.insert(_TABLE).on_conflict_do_nothing(index_elements=UNIQUE_KEY),
    "sqlite": sqlite.insert(_TABLE).on_conflict_do_nothing(index_elements=UNIQUE_KEY),
}
# The scheduler marks each item of a chunk done: one executemany for them all.
_DONE = (
    update(_TABLE).where(_TABLE.c.id == bindparam("item_id")).values(done_at=bindparam("done_at"))
)


_ITEM_COLUMNS = (
    DueItemRow.id,
    DueItemRow.kind,
    DueItemRow.due_at,
    DueItemRow.ref,
    DueItemRow.payload,
    DueItemRow.claimed_by,
    DueItemRow.claimed_at,
    DueItemRow.done_at,
)


class SqlDueRepository(SqlRepository):
    async def add(self, item: DueItem) -> DueItem:
        """Idempotent: scheduling the same (kind, ref, due_at) again returns the existing item."""
        insert = postgresql.insert if self._backend == "postgresql" else sqlite.insert
        values = DueItemRow.values_of(item)
        added: DueItemRow | None = await self._session.scalar(
            insert(DueItemRow)
            .values(**values)
            .on_conflict_do_nothing(index_elements=UNIQUE_KEY)
            .returning(DueItemRow)
        )
        if added is not None:
            return added.to_domain()
        row = await self._session.scalar(
            select(DueItemRow).where(
                DueItemRow.kind == item.kind,
                DueItemRow.ref == item.ref,
                DueItemRow.due_at == item.due_at,
            )
        )
        assert row is not None  # already there
        return row.to_domain()

    async def queue(self, item: DueItem) -> None:
        """Like ``add``, but written before the unit of work's next statement or its commit,
        together with the other items queued meanwhile; nothing comes back."""
        defer(self._session.sync_session, _QUEUE[self._backend], DueItemRow.values_of(item))

    async def get(self, item_id: int) -> DueItem | None:
        row = await self._session.get(DueItemRow, item_id)
        return row.to_domain() if row else None

    async def claim_due(
        self, now: datetime, worker: str, limit: int, kinds: Collection[DueKind] | None = None
    ) -> Sequence[DueItem]:
        """Claim up to ``limit`` items due by ``now`` (of ``kinds`` only, when given), oldest
        first.

        PostgreSQL locks the chosen rows and skips rows another claimer holds; SQLite runs
        the whole transaction under the write lock (BEGIN IMMEDIATE), so select-then-update
        cannot interleave with another claimer.
        """
        ids = list(
            await self._session.scalars(
                select(DueItemRow.id)
                .where(
                    DueItemRow.done_at.is_(None),
                    DueItemRow.claimed_by.is_(None),
                    DueItemRow.due_at <= now,
                    *(
                        [DueItemRow.kind.in_([str(kind) for kind in kinds])]
                        if kinds is not None
                        else []
                    ),
                )
                .order_by(DueItemRow.due_at, DueItemRow.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not ids:
            return []
        # The rows chosen are this transaction's (locked, or under SQLite's write lock):
        # nobody claimed them since. By id alone: given "claimed_by IS NULL" too, the
        # UPDATE took PostgreSQL 0.3 s for 1,000 ids among 100,000 due items.
        # Columns, not row objects: a thousand ORM instances in the session cost a due
        # tick a quarter of its time when the transaction ended (bench/due_claim.py).
        claimed = await self._session.execute(
            update(DueItemRow)
            .where(DueItemRow.id.in_(ids))
            .values(claimed_by=worker, claimed_at=now)
            .returning(*_ITEM_COLUMNS)
            .execution_options(synchronize_session=False)
        )
        items = [DueItemRow.item_of(row) for row in claimed]
        return sorted(items, key=lambda i: (i.due_at, i.id or 0))

    async def mark_done(self, item_id: int, at: datetime) -> None:
        """Written before the unit of work's next statement or its commit, together with
        the other marks made meanwhile (a statement each cost most of a due tick)."""
        defer(self._session.sync_session, _DONE, {"item_id": item_id, "done_at": at})

    async def pending(self, kind: DueKind, ref: str) -> Sequence[DueItem]:
        """Undone items of this kind about this ref, soonest first."""
        rows = await self._session.scalars(
            select(DueItemRow)
            .where(DueItemRow.kind == kind, DueItemRow.ref == ref, DueItemRow.done_at.is_(None))
            .order_by(DueItemRow.due_at, DueItemRow.id)
        )
        return [row.to_domain() for row in rows]

    async def pending_refs(self, kind: DueKind) -> Sequence[str]:
        refs = await self._session.scalars(
            select(DueItemRow.ref)
            .where(DueItemRow.kind == kind, DueItemRow.done_at.is_(None))
            .distinct()
            .order_by(DueItemRow.ref)
        )
        return list(refs)

    async def cancel(self, kind: DueKind, ref: str) -> int:
        result = await self._session.execute(
            delete(DueItemRow)
            .where(DueItemRow.kind == kind, DueItemRow.ref == ref, DueItemRow.done_at.is_(None))
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def release_stale(self, older_than: datetime) -> int:
        result = await self._session.execute(
            update(DueItemRow)
            .where(
                DueItemRow.done_at.is_(None),
                DueItemRow.claimed_by.is_not(None),
                DueItemRow.claimed_at < older_than,
            )
            .values(claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)
