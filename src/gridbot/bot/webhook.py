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
MAX_UPDATE_ID = 2**63

Endpoint = Callable[[web.Request], Awaitable[web.StreamResponse]]


def webhook_handler(inbox: Inbox, bot: Bot, secret: str) -> Endpoint:
    async def receive(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=401, text="wrong secret token")
        body = b""
        try:
            body = await request.read()
            update = Update.model_validate_json(body, context={"bot": bot})
            if not 0 <= update.update_id < MAX_UPDATE_ID:  # the inbox's key is a BIGINT
                raise ValueError("update_id out of range")
        except ValueError:  # not JSON, not UTF-8, or JSON that is not an update
            log.warning("webhook: refused a body that is not an update (%s bytes)", len(body))
            return web.Response(status=400, text="not an update")
        # A failure here is a 500: Telegram sends the update again later.
        fresh = await inbox.record([update])
        await inbox.dispatch(fresh)
        return web.json_response({})

    return receive


async def register_webhook(
    bot: Bot, url: str, secret: str, allowed_updates: list[str], *, alone: bool
) -> bool:
    """Point Telegram at ``url``, the address every process of the bot serves (the reverse
    proxy's). The first process (``alone``) always sets it, so a new secret or new update
    types take effect; one joining processes that serve the same address and secret (see
    ``bot/processes.py``) sets it only when Telegram does not have it. Returns whether it
    called setWebhook."""
    if not alone:
        try:
            info = await bot.get_webhook_info()
        except Exception as error:  # an API without getWebhookInfo: set it, as the first did
            log.warning("getWebhookInfo failed (%s); setting the webhook", error)
        else:
            if info.url == url and set(info.allowed_updates or []) == set(allowed_updates):
                log.info("webhook already set to this address by another process")
                return False
    await bot.set_webhook(url, secret_token=secret, allowed_updates=allowed_updates)
    return True
