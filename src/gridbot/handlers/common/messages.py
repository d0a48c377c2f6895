"""Editing a message in place. The same content again ("message is not modified") or a
message that can no longer be edited is not an error: what the tap asked for is done."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from gridbot.handlers.common.private import answer_privately, own_chat_message
from gridbot.handlers.common.types import Translate

logger = logging.getLogger(__name__)


async def edit_or_answer(
    query: CallbackQuery,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    t: Translate | None = None,
) -> None:
    """Show ``text`` in place of the tapped message when that is in the tapper's private
    chat; a message in a group is never edited: ``text`` goes to the tapper privately."""
    own = own_chat_message(query)
    if own is None:
        await answer_privately(query, t, text, keyboard)
        return
    try:
        await own.edit_text(text, reply_markup=keyboard)
    except TelegramBadRequest as refused:
        logger.info("message kept: %s", refused.message)


async def edit_message(
    bot: Bot | None,
    chat_id: int | None,
    message_id: int | None,
    text: str,
    *,
    caption: bool,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    """Edit a text message, or a photo's caption, into ``text`` with ``keyboard``."""
    if bot is None or chat_id is None or message_id is None:
        return
    try:
        if caption:
            await bot.edit_message_caption(
                chat_id=chat_id, message_id=message_id, caption=text, reply_markup=keyboard
            )
        else:
            await bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard
            )
    except TelegramBadRequest as refused:
        if "not modified" not in str(refused):
            logger.info("message %s in chat %s kept: %s", message_id, chat_id, refused.message)
