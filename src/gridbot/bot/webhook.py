"""The webhook's endpoint: Telegram's request is answered 200 only once its update is safe
in the inbox (bot/inbox.py); a request without the right secret gets 401 and changes
nothing; at most the inbox's limit of updates are handled at once, and while all slots are
taken the answer waits, so Telegram holds back (it retries what is not answered)."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.types import Update
from aiohttp import web

from gridbot.bot.inbox import Inbox

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Endpoint = Callable[[web.Request], Awaitable[web.StreamResponse]]


def webhook_handler(inbox: Inbox, bot: Bot, secret: str) -> Endpoint:
    async def receive(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=401, text="wrong secret token")
        try:
            update = Update.model_validate(await request.json(), context={"bot": bot})
        except ValueError:
            return web.Response(status=400, text="not an update")
        # A failure here is a 500: Telegram sends the update again later.
        fresh = await inbox.record([update])
        await inbox.dispatch(fresh)
        return web.json_response({})

    return receive
