"""Nothing a user sends crashes: refusals and failures become a polite, translated answer."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent, Message

from gridbot.domain.errors import DomainError
from gridbot.handlers.types import Render

logger = logging.getLogger(__name__)

UNEXPECTED = "unexpected"


async def on_domain_error(event: ErrorEvent, render: Render | None = None) -> None:
    code = event.exception.code if isinstance(event.exception, DomainError) else UNEXPECTED
    logger.info("refused update %s: %s", event.update.update_id, event.exception)
    await tell_user(event, render, code)


async def on_unexpected_error(event: ErrorEvent, render: Render | None = None) -> None:
    logger.error("failed to handle update %s", event.update.update_id, exc_info=event.exception)
    await tell_user(event, render, UNEXPECTED)


async def tell_user(event: ErrorEvent, render: Render | None, code: str) -> None:
    """Stop a callback's spinner and answer in the chat; a failure here is only logged."""
    update = event.update
    try:
        message = update.message
        if update.callback_query is not None:
            await update.callback_query.answer()
            if isinstance(update.callback_query.message, Message):
                message = update.callback_query.message
        if message is not None and render is not None:
            await message.answer(render("errors.html.j2", code=code))
    except Exception:
        logger.exception("could not tell the user about a failed update %s", update.update_id)


def build_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(on_domain_error, ExceptionTypeFilter(DomainError))
    router.errors.register(on_unexpected_error)
    return router
