"""Retention: finished rows of the outbox, the due items and the inbox dropped once old,
each call a bounded batch (docs/reliability.md, "Retention and backup")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, not_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from gridbot.domain.messaging import OutboxStatus
from gridbot.storage.repositories.base import SqlRepository, rowcount
from gridbot.storage.rows import DueItemRow, OutboxRow
from gridbot.storage.rows.inbox import InboxRow

# Delivered, refused for good, or unreachable: the sender never looks at them again.
FINISHED = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.UNREACHABLE)

_newer = aliased(OutboxRow)


def _delivered(row: Any) -> ColumnElement[bool]:
    return and_(row.status == OutboxStatus.SENT, row.message_id.is_not(None))


# The last message delivered to a chat is the proof that the bot reaches it (/team's
# "reached", `delivered_to`): it stays, whatever its age, until a newer one is delivered.
_LAST_DELIVERED = and_(
    _delivered(OutboxRow),
    not_(
        exists().where(
            _newer.chat_id == OutboxRow.chat_id,
            _newer.id > OutboxRow.id,
            _delivered(_newer),
        )
    ),
)


class SqlRetentionRepository(SqlRepository):
    async def purge_outbox(
        self, before: datetime, after_id: int, window: int
    ) -> tuple[int, int | None]:
        """Drop finished messages created before ``before`` among the ``window`` rows that
        follow ``after_id`` in id order (the last delivered message of each chat stays).
        Returns how many were dropped and the id to continue after, or None when the window
        reached messages created since ``before`` (or the end): nothing older is left there.

        The window bounds what one call reads, kept rows included; ids grow with time, so
        walking them from the oldest stops at the first young window."""
        end = (
            await self._bulk(
                select(OutboxRow.id, OutboxRow.created_at)
                .where(OutboxRow.id > after_id)
                .order_by(OutboxRow.id)
                .offset(window - 1)
                .limit(1)
            )
        ).first()
        in_window = [OutboxRow.id > after_id] + ([OutboxRow.id <= end.id] if end else [])
        result = await self._bulk(
            delete(OutboxRow)
            .where(
                *in_window,
                OutboxRow.status.in_([str(status) for status in FINISHED]),
                OutboxRow.created_at < before,
                not_(_LAST_DELIVERED),
            )
            .execution_options(synchronize_session=False)
        )
        more = end is not None and end.created_at < before
        return rowcount(result), (end.id if more and end is not None else None)

    async def purge_due_items(self, before: datetime, limit: int) -> int:
        """Drop up to ``limit`` due items done before ``before`` (undone ones, claimed or
        not, are never touched). Returns how many."""
        return await self._delete_first(DueItemRow.id, DueItemRow.done_at < before, limit)

    async def purge_inbox(self, before: datetime, limit: int) -> int:
        """Drop up to ``limit`` updates handled before ``before`` (Telegram resends an
        update for a day at most; one not handled yet stays). Returns how many."""
        return await self._delete_first(InboxRow.update_id, InboxRow.handled_at < before, limit)

    async def _delete_first(
        self, key: InstrumentedAttribute[int], finished: ColumnElement[bool], limit: int
    ) -> int:
        """Delete up to ``limit`` rows of ``key``'s table that are ``finished``; how many."""
        table = key.class_
        chosen = select(key).where(finished).limit(limit)
        result = await self._bulk(
            delete(table).where(key.in_(chosen)).execution_options(synchronize_session=False)
        )
        return rowcount(result)
