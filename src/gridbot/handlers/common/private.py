"""What a tap answers with private content (a case card, a timeline, a wish's details)
goes to the tapper's private chat only. A button tapped on a message in a group (or a
callback forged with a group's chat) never makes the bot write or edit anything there: the
answer is sent to the tapper privately, or, when the bot cannot write to them, a toast asks
them to open the bot."""

from __future__ import annotations

import logging

from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from gridbot.handlers.common.types import Translate
from gridbot.services.notices import N_

logger = logging.getLogger(__name__)

OPEN_THE_BOT = N_(
    "I can only show this in our private chat. Open a chat with me (tap my name, then Start) "
    "and tap again."
)
SENT_PRIVATELY = N_("Sent to you in our private chat.")


def own_chat_message(query: CallbackQuery) -> Message | None:
    """The tapped message when it is in the tapper's own private chat with the bot."""
    message = query.message
    if not isinstance(message, Message):
        return None
    chat = message.chat
    if chat.type != ChatType.PRIVATE or chat.id != query.from_user.id:
        return None
    return message


async def answer_privately(
    query: CallbackQuery,
    t: Translate | None,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    edit: bool = False,
    toast: str | None = None,
) -> bool:
    """Show ``text`` to the tapper only: in place of the tapped message (``edit``) or under
    it when that is in their private chat (the tap answered with ``toast``); else as a new
    message in their private chat, the tap answered with a note saying so, or, when the bot
    cannot write to them, with a toast asking them to open the bot (returns False then).
    It answers the tap itself: a handler that used it must not answer it again."""
    own = own_chat_message(query)
    if own is not None:
        if edit:
            try:
                await own.edit_text(text, reply_markup=keyboard)
            except TelegramBadRequest as refused:
                logger.info("message kept: %s", refused.message)
        else:
            await own.answer(text, reply_markup=keyboard)
        await _toast(query, toast, alert=False)
        return True
    if query.bot is None:
        return False
    try:
        await query.bot.send_message(query.from_user.id, text, reply_markup=keyboard)
    except (TelegramForbiddenError, TelegramBadRequest) as refused:
        logger.info("cannot write to %s privately: %s", query.from_user.id, refused.message)
        await _toast(query, t(OPEN_THE_BOT) if t else None, alert=True)
        return False
    await _toast(query, t(SENT_PRIVATELY) if t else None, alert=False)
    return True


async def _toast(query: CallbackQuery, text: str | None, *, alert: bool) -> None:
    try:
        await query.answer(text, show_alert=alert and text is not None)
    except TelegramBadRequest as refused:  # answered already, before the helper was called
        logger.info("toast not shown: %s", refused.message)
