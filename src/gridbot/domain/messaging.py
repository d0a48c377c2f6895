"""What the bot must send (outbox) and what must happen later (due items)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up: refused for good (bad request, too many attempts)
    UNREACHABLE = "unreachable"  # 403: the user blocked the bot or the bot left the group


@dataclass
class OutboxMessage:
    """A message the bot must deliver to ``chat_id``, written in the same transaction as
    the change that caused it. ``method`` and ``params`` say how; the domain never reads
    them (the notices write them, the outbox sender delivers them)."""

    chat_id: int
    method: str
    params: dict[str, Any]
    created_at: datetime
    chat_kind: ChatKind = ChatKind.PRIVATE
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    not_before: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    message_id: int | None = None  # Telegram's id of the delivered message
    id: int | None = None


class DueKind(StrEnum):
    RESPOND_DEADLINE = "respond_deadline"
    RESOLVE_DEADLINE = "resolve_deadline"
    FOLLOW_UP = "follow_up"
    RATING_POLL = "rating_poll"
    CARE_VISIT = "care_visit"
    DIGEST = "digest"
    WISH_CLAIM_EXPIRY = "wish_claim_expiry"
    PATROL_REMINDER = "patrol_reminder"
    MORNING_BRIEF = "morning_brief"
    PURGE = "purge"  # retention: old finished rows dropped (services/retention)


@dataclass
class DueItem:
    """Work that falls due at ``due_at``; a scheduler tick claims it exactly once."""

    kind: DueKind
    due_at: datetime
    ref: str  # what it is about: a case number, a person id, a unit code
    payload: dict[str, Any] = field(default_factory=dict)
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    done_at: datetime | None = None
    id: int | None = None
