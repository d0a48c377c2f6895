"""What nothing else handled, in a private chat: a polite hint towards /help.

Kept last in router order. Groups stay silent: their commands may be meant for other bots.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import StateFilter
from aiogram.types import Message

from gridbot.handlers.types import Render

LONGEST_ECHOED_COMMAND = 64


async def on_unknown_command(message: Message, render: Render) -> None:
    command = (message.text or "").split(maxsplit=1)[0][:LONGEST_ECHOED_COMMAND]
    await message.answer(render("unknown_command.html.j2", command=command))


async def on_unhandled_message(message: Message, render: Render) -> None:
    await message.answer(render("unknown_command.html.j2", command=None))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.message.register(on_unknown_command, F.text.startswith("/"))
    router.message.register(on_unhandled_message, StateFilter(None))
    return router
