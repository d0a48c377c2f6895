"""/digest in the private chat: a supervisor's preview of the public digest (向群众汇报) of
their unit over a period, with a 发布 button that posts it to every residents' group bound
under the unit. The tap is a request: the use case checks again who may publish."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command

from gridbot.handlers.common.callbacks import DigestCallback
from gridbot.handlers.digests import preview

PRIVATE = F.chat.type == ChatType.PRIVATE


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(preview.cmd_digest, PRIVATE, Command("digest"), F.from_user)
    router.callback_query.register(
        preview.on_publish,
        DigestCallback.filter(),
        F.message.chat.type == ChatType.PRIVATE,
    )
    return router
