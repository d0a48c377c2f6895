"""What the care flows share: asking in the chat of a tap, answers to input that cannot be
taken, Cancel, and buttons no longer active."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from gridbot.domain.care import check_line
from gridbot.domain.errors import ValidationFailed
from gridbot.handlers.common.answers import INVALID_TEXT
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate


def tapped_message(query: CallbackQuery) -> Message | None:
    return query.message if isinstance(query.message, Message) else None


async def send(
    query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """A new message in the chat of the tapped one (which stays as it is)."""
    message = tapped_message(query)
    if message is not None:
        await message.answer(text, reply_markup=keyboard)


async def checked_line(message: Message, render: Render, limit: int) -> str | None:
    """A name or address: the message's text checked against ``limit``; None after telling
    the person what is wrong (empty, too long, or no text at all)."""
    try:
        return check_line(message.text, limit)
    except ValidationFailed as refused:
        details = refused.details
        code = details.get("code") if message.text else "not_text"
        length = details.get("length", 0)
        await message.answer(
            render(INVALID_TEXT, code=code, limit=details.get("limit", 0), length=length)
        )
        return None


async def use_buttons(message: Message, render: Render) -> None:
    await message.answer(render("care/use_buttons.html.j2"))


async def on_cancel(query: CallbackQuery, state: FSMContext, render: Render) -> None:
    await state.clear()
    await query.answer()
    await edit_or_answer(query, render("care/cancelled.html.j2"))


async def on_stale(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("This button is no longer active."), show_alert=True)
