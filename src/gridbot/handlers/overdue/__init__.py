"""/overdue in chat: a unit's overdue cases for its supervisors and grid leaders, a page at a
time, with a 督办 (urge) button on each case they may urge. Private chats only: the list
names the staff holding each case."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command

from gridbot.handlers.common.callbacks import OverdueCallback
from gridbot.handlers.overdue import board

PRIVATE = F.chat.type == ChatType.PRIVATE


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PRIVATE)
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    router.message.register(board.cmd_overdue, Command("overdue"), F.from_user)
    tap = OverdueCallback.filter
    router.callback_query.register(board.on_page, tap(F.action == "page"))
    router.callback_query.register(board.on_urge, tap(F.action == "urge"))
    return router
