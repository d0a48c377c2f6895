"""Rows of the outbox (messages to send), of due items (work that falls due later) and of
the leases that elect one process for a job (the outbox sender)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from gridbot.domain.messaging import ChatKind, DueItem, DueKind, OutboxMessage, OutboxStatus
from gridbot.storage.base import Base, PortableJSON, UTCDateTime


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_not_before", "status", "not_before"),
        # The pending rows alone (a few among the delivered ones): the senders' polls and
        # claims read them in id order, by chat and by claim.
        Index(
            "ix_outbox_pending_id",
            "id",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index(
            "ix_outbox_pending_chat",
            "chat_id",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index(
            "ix_outbox_pending_claims",
            "claimed_until",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_kind: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Which process delivers this row, and until when unless it renews the claim (used on
    # PostgreSQL, where every process delivers; see bot/outbox_sender.py).
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_domain(self) -> OutboxMessage:
        return OutboxRow.message_of(self)

    @staticmethod
    def message_of(row: Any) -> OutboxMessage:
        """The message of a row object or of a result row holding the same columns (the
        sender's reads take Core rows: no ORM objects to build for rows read once)."""
        return OutboxMessage(
            chat_id=row.chat_id,
            method=row.method,
            params=dict(row.params),
            created_at=row.created_at,
            chat_kind=ChatKind(row.chat_kind),
            status=OutboxStatus(row.status),
            attempts=row.attempts,
            not_before=row.not_before,
            sent_at=row.sent_at,
            last_error=row.last_error,
            message_id=row.message_id,
            id=row.id,
        )

    def apply(self, message: OutboxMessage) -> None:
        for name, value in self.values_of(message).items():
            setattr(self, name, value)

    @staticmethod
    def values_of(message: OutboxMessage) -> dict[str, Any]:
        """The row's columns (all but ``id``) for ``message``."""
        return {
            "chat_id": message.chat_id,
            "chat_kind": message.chat_kind,
            "method": message.method,
            "params": dict(message.params),
            "status": message.status,
            "attempts": message.attempts,
            "created_at": message.created_at,
            "not_before": message.not_before,
            "sent_at": message.sent_at,
            "last_error": message.last_error,
            "message_id": message.message_id,
        }


class DueItemRow(Base):
    __tablename__ = "due_items"
    __table_args__ = (
        Index("ix_due_items_done_at_claimed_by_due_at", "done_at", "claimed_by", "due_at"),
        Index("ix_due_items_kind_ref", "kind", "ref"),
        # Scheduling the same thing twice is a no-op.
        UniqueConstraint("kind", "ref", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ref: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_domain(self) -> DueItem:
        return DueItemRow.item_of(self)

    @staticmethod
    def item_of(row: Any) -> DueItem:
        """The item of a row object or of a result row holding the same columns."""
        return DueItem(
            kind=DueKind(row.kind),
            due_at=row.due_at,
            ref=row.ref,
            payload=dict(row.payload or {}),
            claimed_by=row.claimed_by,
            claimed_at=row.claimed_at,
            done_at=row.done_at,
            id=row.id,
        )

    @staticmethod
    def values_of(item: DueItem) -> dict[str, Any]:
        """The row's columns (all but ``id``) for ``item``."""
        return {
            "kind": str(item.kind),
            "due_at": item.due_at,
            "ref": item.ref,
            "payload": dict(item.payload),
            "claimed_by": item.claimed_by,
            "claimed_at": item.claimed_at,
            "done_at": item.done_at,
        }


class LeaseRow(Base):
    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
