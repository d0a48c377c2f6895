"""The outbox: messages written with the change that caused them, delivered by the sender."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)

from gridbot.domain.errors import NotFound
from gridbot.domain.messaging import OutboxMessage, OutboxStatus
from gridbot.storage.deferred import defer
from gridbot.storage.repositories.base import SqlRepository, rowcount, table_of
from gridbot.storage.rows import OutboxRow

_ADD = insert(table_of(OutboxRow))  # built once, and Core: one executemany for them all
_LEARNT = ("chat_id", "status", "attempts", "not_before", "sent_at", "last_error", "message_id")
_UPDATE = (
    update(table_of(OutboxRow))
    .where(table_of(OutboxRow).c.id == bindparam("row_id"))
    .values({name: bindparam(name) for name in _LEARNT})
)


def _learnt(message: OutboxMessage) -> dict[str, object]:
    return {"row_id": message.id, **{name: getattr(message, name) for name in _LEARNT}}


def _due(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    return and_(
        OutboxRow.status == OutboxStatus.PENDING,
        or_(OutboxRow.not_before.is_(None), OutboxRow.not_before <= now),
    )


# The sender's poll, built once: it runs whenever a commit queued messages.
_PENDING_IDS = (
    select(OutboxRow.id)
    .where(_due(bindparam("now", type_=OutboxRow.not_before.type)))
    .order_by(OutboxRow.id)
    .limit(bindparam("limit", type_=Integer))
)
_MANY = (
    select(OutboxRow)
    .where(OutboxRow.id.in_(bindparam("ids", expanding=True)))
    .order_by(OutboxRow.id)
)


class SqlOutboxRepository(SqlRepository):
    added = 0  # rows added in this unit of work (its commit wakes the sender)

    async def add(self, message: OutboxMessage) -> OutboxMessage:
        row = OutboxRow()
        row.apply(message)
        self._session.add(row)
        await self._session.flush()
        self.added += 1
        return row.to_domain()

    async def queue(self, message: OutboxMessage) -> None:
        """Like ``add``, but written before the unit of work's next statement or its
        commit, together with the other messages queued meanwhile; no id comes back."""
        defer(self._session.sync_session, _ADD, OutboxRow.values_of(message))
        self.added += 1

    async def get(self, message_id: int) -> OutboxMessage | None:
        row = await self._session.get(OutboxRow, message_id)
        return row.to_domain() if row else None

    async def pending(self, now: datetime, limit: int) -> Sequence[OutboxMessage]:
        rows = await self._session.scalars(
            select(OutboxRow).where(_due(now)).order_by(OutboxRow.id).limit(limit)
        )
        return [row.to_domain() for row in rows]

    async def pending_ids(self, now: datetime, limit: int) -> Sequence[int]:
        """The ids of ``pending``, oldest first: a poll that already holds most of them
        reads no more than this."""
        ids = await self._session.scalars(_PENDING_IDS, {"now": now, "limit": limit})
        return list(ids)

    async def many(self, ids: Collection[int]) -> Sequence[OutboxMessage]:
        """The messages with these ids, oldest first."""
        if not ids:
            return []
        rows = await self._session.scalars(_MANY, {"ids": sorted(ids)})
        return [row.to_domain() for row in rows]

    async def recent_sends(self, since: datetime) -> Sequence[tuple[int, datetime]]:
        """(chat, when) of every message delivered since ``since``, oldest first."""
        found = await self._session.execute(
            select(OutboxRow.chat_id, OutboxRow.sent_at)
            .where(OutboxRow.status == OutboxStatus.SENT, OutboxRow.sent_at >= since)
            .order_by(OutboxRow.sent_at)
        )
        return [(chat_id, sent_at) for chat_id, sent_at in found if sent_at is not None]

    async def delivered_to(self, chat_ids: Collection[int]) -> Mapping[int, datetime]:
        """When a message was last delivered to each of these chats; chats never reached are
        left out. A command menu is no message (Telegram sets one for any chat)."""
        if not chat_ids:
            return {}
        found = await self._session.execute(
            select(OutboxRow.chat_id, func.max(OutboxRow.sent_at))
            .where(
                OutboxRow.chat_id.in_(sorted(set(chat_ids))),
                OutboxRow.status == OutboxStatus.SENT,
                OutboxRow.message_id.is_not(None),
            )
            .group_by(OutboxRow.chat_id)
        )
        return {chat_id: sent_at for chat_id, sent_at in found if sent_at is not None}

    async def update(self, message: OutboxMessage) -> None:
        """Store what the sender learnt of a message: its status, attempts, times, error."""
        result = await self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message.id)
            .values(
                chat_id=message.chat_id,
                status=message.status,
                attempts=message.attempts,
                not_before=message.not_before,
                sent_at=message.sent_at,
                last_error=message.last_error,
                message_id=message.message_id,
            )
            .execution_options(synchronize_session=False)
        )
        if message.id is None or rowcount(result) == 0:
            raise NotFound(f"no outbox message with id {message.id}", message_id=message.id)

    async def update_many(self, messages: Sequence[OutboxMessage]) -> None:
        """``update`` for each of ``messages``, in one statement; a message whose row is gone
        is passed over."""
        if messages:
            await self._session.execute(_UPDATE, [_learnt(m) for m in messages])

    async def reroute_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        result = await self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.chat_id == old_chat_id, OutboxRow.status == OutboxStatus.PENDING)
            .values(chat_id=new_chat_id)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(result)
