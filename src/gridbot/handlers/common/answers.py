"""Answers to what cannot be taken as it is: text that is empty, too long, or not text."""

from __future__ import annotations

from aiogram.types import Message, User

from gridbot.domain.errors import ValidationFailed
from gridbot.domain.texts import MAX_TEXT, check_text
from gridbot.handlers.common.types import Render
from gridbot.services.membership import TelegramUser

INVALID_TEXT = "report/invalid_text.html.j2"


def text_problem(refused: ValidationFailed) -> dict[str, object]:
    """The context of the invalid-text answer for a refused text."""
    details = refused.details
    return {"code": details.get("code"), "limit": MAX_TEXT, "length": details.get("length", 0)}


async def checked_text(message: Message, render: Render) -> str | None:
    """The message's text, checked; None after telling the person what is wrong."""
    try:
        return check_text(message.text)
    except ValidationFailed as refused:
        await message.answer(render(INVALID_TEXT, **text_problem(refused)))
        return None


async def not_text(message: Message, render: Render) -> None:
    """A sticker, a voice note or a photo where words were asked for."""
    await message.answer(render(INVALID_TEXT, code="not_text", limit=MAX_TEXT, length=0))


def telegram_user(user: User, locale: str) -> TelegramUser:
    """The person as Telegram tells it, in the language the bot uses with them now."""
    return TelegramUser(user.id, user.first_name, user.last_name, locale)
