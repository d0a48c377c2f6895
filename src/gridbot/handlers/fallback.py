"""What nothing else handled: in a private chat a polite hint towards /help; a button tap
anywhere an answer saying the button is no longer active.

Kept last in router order. Groups stay silent: their commands may be meant for other bots.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from gridbot.handlers.common.types import Render, Translate

LONGEST_ECHOED_COMMAND = 64


async def on_unknown_command(message: Message, render: Render) -> None:
    command = (message.text or "").split(maxsplit=1)[0][:LONGEST_ECHOED_COMMAND]
    await message.answer(render("unknown_command.html.j2", command=command))


async def on_unhandled_message(message: Message, render: Render) -> None:
    await message.answer(render("unknown_command.html.j2", command=None))


async def on_unhandled_button(query: CallbackQuery, t: Translate) -> None:
    # A button of an old message, of a feature since changed, or forged: the spinner must
    # stop, and nothing changes.
    await query.answer(t("This button is no longer active."))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_unhandled_button)
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.message.register(on_unknown_command, F.text.startswith("/"))
    router.message.register(on_unhandled_message, StateFilter(None))
    return router
