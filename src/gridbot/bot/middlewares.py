"""What every handler receives, by parameter name.

``RequestContextMiddleware`` (outer, on updates) puts into the handler data:

- ``ctx``: the service ``Context`` (units of work, clock, time zone, notices)
- ``actor``: ``Actor | None``, who is acting, loaded once per update (the person with
  every role they hold and the org tree around those roles); None for a stranger
- ``locale``: "zh" or "en"; ``t``: ``t(msgid, **values) -> str`` and ``render``:
  ``render(template_name, **context) -> str`` in that locale

``UpdatesInFlight`` (outer, on updates) counts the updates being handled, so that a
stopping bot lets them finish before it closes its session and database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.enums import ChatType
from aiogram.types import Chat, TelegramObject, User

from gridbot.bot.templating import Renderer
from gridbot.services.context import Context
from gridbot.services.membership import identify

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdatesInFlight(BaseMiddleware):
    """Counts updates between their arrival and the end of their handling.

    A stopping bot lets the running ones finish first (``drain``); one cut off all the
    same stays unmarked in the inbox and is handled at the next start (bot/inbox.py)."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def attach(self, dispatcher: Dispatcher) -> None:
        """Outermost on updates: an update waiting for aiogram's per-user lock (a double
        tap) is already counted."""
        manager = dispatcher.update.outer_middleware
        others = list(manager)
        for middleware in others:
            manager.unregister(middleware)
        manager.register(self)
        for middleware in others:
            manager.register(middleware)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self.count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self.count -= 1
            if self.count == 0:
                self._idle.set()

    async def drain(self, timeout: float) -> bool:  # noqa: ASYNC109
        """Wait up to ``timeout`` seconds for the updates being handled; False if some still are."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("stopping with %s update(s) still being handled", self.count)
            return False
        return True


@dataclass(frozen=True)
class Localized:
    """The translation and rendering callables of one locale."""

    renderer: Renderer
    locale: str

    def render(self, name: str, /, **context: Any) -> str:
        return self.renderer.render(name, self.locale, **context)

    def t(self, msgid: str, /, **values: Any) -> str:
        text = self.renderer.gettext(self.locale, msgid)
        return text % values if values else text

    def install(self, data: dict[str, Any]) -> None:
        data.update(locale=self.locale, render=self.render, t=self.t)


class RequestContextMiddleware(BaseMiddleware):
    def __init__(self, ctx: Context, renderer: Renderer) -> None:
        self.ctx = ctx
        self.renderer = renderer

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        data.update(ctx=self.ctx, actor=None)
        # The locale is installed before the lookup, so the error handler can still answer
        # in the user's language if the database fails.
        telegram_language = user.language_code if user else None
        self._localize(data, None, telegram_language)
        if user is not None and not user.is_bot:
            chat: Chat | None = data.get("event_chat")
            in_private = chat is not None and chat.type == ChatType.PRIVATE
            actor = await identify(self.ctx, user.id, in_private=in_private)
            if actor is not None:
                data["actor"] = actor
                self._localize(data, actor.person.language, telegram_language)
        return await handler(event, data)

    def _localize(
        self, data: dict[str, Any], person_language: str | None, telegram_language: str | None
    ) -> None:
        locale = self.renderer.translator.choose_locale(person_language, telegram_language)
        Localized(self.renderer, locale).install(data)
