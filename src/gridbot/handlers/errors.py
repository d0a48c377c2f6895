"""Nothing a user sends crashes: refusals and failures become a polite, translated answer.

A refused tap is answered exactly once, here (handlers answer only after their use case
succeeded), with the message as its toast; the message also goes to the chat.
"""

from __future__ import annotations

import logging
import re
from html import unescape
from typing import Any

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent, Message

from gridbot.domain.errors import DomainError
from gridbot.handlers.common.types import Render

logger = logging.getLogger(__name__)

UNEXPECTED = "unexpected"
TOAST_LIMIT = 200  # characters Telegram shows in a callback answer
_TAGS = re.compile(r"<[^>]+>")


async def on_domain_error(event: ErrorEvent, render: Render | None = None) -> None:
    error = event.exception
    code = error.code if isinstance(error, DomainError) else UNEXPECTED
    details = dict(error.details) if isinstance(error, DomainError) else {}
    # Ids only: a refusal's message may name a resident or quote their text.
    logger.info(
        "refused update %s of user %s: %s (%s) %s",
        event.update.update_id,
        user_id(event),
        type(error).__name__,
        code,
        " ".join(f"{key}={value}" for key, value in sorted(numbers(details).items())),
    )
    await tell_user(event, render, code, details)


def user_id(event: ErrorEvent) -> int | None:
    """The Telegram id of who sent the update, if anyone."""
    try:
        user = getattr(event.update.event, "from_user", None)
    except LookupError:  # an update of a kind aiogram does not know
        return None
    return user.id if user is not None else None


def numbers(details: dict[str, Any]) -> dict[str, int]:
    """The ids and counts of a refusal's details (person_id, case_id, limit, …), never its
    words: a name, a phone or a text is a string."""
    return {
        key: value
        for key, value in details.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }


class ReplyQueued(Exception):
    """A reply failed after the update's change was committed and went to the outbox
    (bot/replies.py): the person will get it; "try again" would be untrue."""


async def on_reply_queued(event: ErrorEvent) -> None:
    update_id, error = event.update.update_id, event.exception
    logger.info("update %s: reply queued after a commit (%s)", update_id, error)


async def on_unexpected_error(event: ErrorEvent, render: Render | None = None) -> None:
    logger.error("failed to handle update %s", event.update.update_id, exc_info=event.exception)
    await tell_user(event, render, UNEXPECTED)


async def tell_user(
    event: ErrorEvent, render: Render | None, code: str, details: dict[str, Any] | None = None
) -> None:
    """Answer a tap with a toast and say it in the chat; a failure here is only logged
    (a tap its handler already answered cannot be answered twice)."""
    update = event.update
    text = render("errors.html.j2", code=code, details=details or {}) if render else None
    message = update.message
    query = update.callback_query
    if query is not None:
        if isinstance(query.message, Message):
            message = query.message
        try:
            await query.answer(toast(text) if text else None)
        except Exception as error:
            logger.info("could not answer the tap of update %s: %s", update.update_id, error)
    try:
        if message is not None and text is not None:
            await message.answer(text)
    except Exception:
        logger.exception("could not tell the user about a failed update %s", update.update_id)


def toast(html: str) -> str:
    """The message as plain text short enough for a callback answer."""
    plain = " ".join(unescape(_TAGS.sub("", html)).split())
    return plain if len(plain) <= TOAST_LIMIT else plain[: TOAST_LIMIT - 1] + "…"


def build_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(on_reply_queued, ExceptionTypeFilter(ReplyQueued))
    router.errors.register(on_domain_error, ExceptionTypeFilter(DomainError))
    router.errors.register(on_unexpected_error)
    return router
