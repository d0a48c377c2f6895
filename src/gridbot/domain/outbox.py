"""Enqueue Bot API calls in the use case's own transaction; the outbox sender delivers them.

Params are JSON-ready dicts in Bot API shape, without ``chat_id``: the chat lives on the
row, so a group that becomes a supergroup can be rerouted without touching the params.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from gridbot.domain.messaging import ChatKind, OutboxMessage
from gridbot.domain.ports import Clock, UnitOfWork


async def enqueue_call(
    uow: UnitOfWork,
    clock: Clock,
    chat_id: int,
    method: str,
    params: dict[str, Any],
    chat_kind: ChatKind = ChatKind.PRIVATE,
    *,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Queue any Bot API ``method`` (``sendMessage``, ``editMessageText``, ...) for ``chat_id``."""
    clean = {key: value for key, value in params.items() if key != "chat_id"}
    message = OutboxMessage(
        chat_id=chat_id,
        method=method,
        params=clean,
        created_at=clock.now(),
        chat_kind=chat_kind,
        not_before=not_before,
    )
    return await uow.outbox.add(message)


async def enqueue_text(
    uow: UnitOfWork,
    clock: Clock,
    chat_id: int,
    text: str,
    *,
    chat_kind: ChatKind = ChatKind.PRIVATE,
    reply_markup: dict[str, Any] | None = None,
    parse_mode: str | None = "HTML",
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Queue a ``sendMessage``; ``reply_markup`` is a Bot API keyboard dict."""
    params: dict[str, Any] = {"text": text}
    _add_common(params, reply_markup, parse_mode)
    return await enqueue_call(
        uow, clock, chat_id, "sendMessage", params, chat_kind, not_before=not_before
    )


async def enqueue_photo(
    uow: UnitOfWork,
    clock: Clock,
    chat_id: int,
    photo: str,
    *,
    caption: str | None = None,
    chat_kind: ChatKind = ChatKind.PRIVATE,
    reply_markup: dict[str, Any] | None = None,
    parse_mode: str | None = "HTML",
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Queue a ``sendPhoto``; ``photo`` is a Telegram file_id or an HTTP URL."""
    params: dict[str, Any] = {"photo": photo}
    if caption is not None:
        params["caption"] = caption
        _add_common(params, reply_markup, parse_mode)
    else:
        _add_common(params, reply_markup, None)
    return await enqueue_call(
        uow, clock, chat_id, "sendPhoto", params, chat_kind, not_before=not_before
    )


def _add_common(
    params: dict[str, Any], reply_markup: dict[str, Any] | None, parse_mode: str | None
) -> None:
    if parse_mode is not None:
        params["parse_mode"] = parse_mode
    if reply_markup is not None:
        params["reply_markup"] = reply_markup
