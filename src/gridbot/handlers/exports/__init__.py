"""/export and /chart in the private chat: a supervisor's unit over a period as an XLSX
document or a PNG photo, sent as the reply (a read-only request: not through the
outbox). Who may ask, and for which unit, is the use case's to check, before anything is
computed."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command

from gridbot.handlers.exports import files

PRIVATE = F.chat.type == ChatType.PRIVATE


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(files.cmd_export, PRIVATE, Command("export"), F.from_user)
    router.message.register(files.cmd_chart, PRIVATE, Command("chart"), F.from_user)
    return router
