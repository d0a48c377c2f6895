"""What every handler receives, by parameter name.

``RequestContextMiddleware`` (outer, on updates) puts into the handler data:

- ``uow_factory``: ``() -> UnitOfWork``; handlers open their own short ``async with``
- ``clock``: the ``Clock`` port
- ``settings``: ``Settings``
- ``locale``: "zh" or "en", from ``choose_locale``
- ``t``: ``t(msgid, **values) -> str`` in that locale
- ``render``: ``render(template_name, **context) -> str`` in that locale
- ``staff``: ``Staff | None``; ``person``: ``Person | None``; ``roles``: a tuple of
  ``RoleAssignment`` (empty for strangers)
- ``notifier``: the ``Notifier`` port (queues messages to others in the outbox); use cases
  take it with ``settings.tz``
- ``services``: ``Services``, the four above that use cases need, in one piece

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

from gridbot.bot.config import Settings
from gridbot.bot.notifier import OutboxNotifier
from gridbot.bot.templating import Renderer
from gridbot.domain.notices import Notifier
from gridbot.domain.people import identify, note_reachable
from gridbot.domain.ports import Clock
from gridbot.handlers.types import Services, UowFactory

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdatesInFlight(BaseMiddleware):
    """Counts updates between their arrival and the end of their handling.

    Long polling confirms an update as soon as it is fetched: a handler cut off by a
    shutdown would lose it. ``drain`` waits for the running ones first."""

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
        text = self.renderer.translator.gettext(self.locale, msgid)
        return text % values if values else text

    def install(self, data: dict[str, Any]) -> None:
        data.update(locale=self.locale, render=self.render, t=self.t)


class RequestContextMiddleware(BaseMiddleware):
    def __init__(
        self,
        *,
        uow_factory: UowFactory,
        clock: Clock,
        settings: Settings,
        renderer: Renderer,
        notifier: Notifier | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.settings = settings
        self.renderer = renderer
        self.notifier: Notifier = notifier or OutboxNotifier(
            renderer, clock, default_locale=settings.locale
        )
        self.services = Services(uow_factory, clock, self.notifier, settings.tz)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        data.update(
            uow_factory=self.uow_factory,
            clock=self.clock,
            settings=self.settings,
            notifier=self.notifier,
            services=self.services,
            staff=None,
            person=None,
            roles=(),
        )
        # The locale is installed before the lookup, so the error handler can still answer
        # in the user's language if the database fails.
        telegram_language = user.language_code if user else None
        self._localize(data, None, telegram_language)
        if user is not None and not user.is_bot:
            chat: Chat | None = data.get("event_chat")
            async with self.uow_factory() as uow:
                staff = await identify(uow, user.id)
                in_private = chat is not None and chat.type == ChatType.PRIVATE
                if staff is not None and in_private and await note_reachable(uow, staff.person):
                    await uow.commit()
            if staff is not None:
                data.update(staff=staff, person=staff.person, roles=tuple(staff.roles))
                self._localize(data, staff.person.language, telegram_language)
        return await handler(event, data)

    def _localize(
        self, data: dict[str, Any], person_language: str | None, telegram_language: str | None
    ) -> None:
        locale = self.renderer.translator.choose_locale(person_language, telegram_language)
        Localized(self.renderer, locale).install(data)
