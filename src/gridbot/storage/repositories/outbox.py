"""The outbox: messages written with the change that caused them, delivered by the sender."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select, update

from gridbot.domain.errors import NotFound
from gridbot.domain.messaging import OutboxMessage, OutboxStatus
from gridbot.storage.repositories.base import SqlRepository, rowcount
from gridbot.storage.rows import OutboxRow


class SqlOutboxRepository(SqlRepository):
    async def add(self, message: OutboxMessage) -> OutboxMessage:
        row = OutboxRow()
        row.apply(message)
        self._session.add(row)
        await self._session.flush()
        return row.to_domain()

    async def get(self, message_id: int) -> OutboxMessage | None:
        row = await self._session.get(OutboxRow, message_id)
        return row.to_domain() if row else None

    async def pending(self, now: datetime, limit: int) -> Sequence[OutboxMessage]:
        rows = await self._session.scalars(
            select(OutboxRow)
            .where(
                OutboxRow.status == OutboxStatus.PENDING,
                or_(OutboxRow.not_before.is_(None), OutboxRow.not_before <= now),
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [row.to_domain() for row in rows]

    async def update(self, message: OutboxMessage) -> None:
        row = await self._session.get(OutboxRow, message.id) if message.id else None
        if row is None:
            raise NotFound(f"no outbox message with id {message.id}", message_id=message.id)
        row.apply(message)
        await self._session.flush()

    async def reroute_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        result = await self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.chat_id == old_chat_id, OutboxRow.status == OutboxStatus.PENDING)
            .values(chat_id=new_chat_id)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(result)
