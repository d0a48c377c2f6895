"""Rendered messages into the outbox: the Bot API calls the sender will make.

Nothing is sent here. Each message is rendered in its recipient's language and written to
the outbox in the caller's unit of work, so it leaves only if the change that caused it is
committed. Params are in Bot API shape, without ``chat_id``: the chat lives on the row, so a
group that becomes a supergroup can be rerouted without touching them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from gridbot.domain.messaging import ChatKind, OutboxMessage
from gridbot.domain.org import Person
from gridbot.services.notices.html_limits import CAPTION_LIMIT, TEXT_LIMIT, fit_html
from gridbot.services.notices.keyboards import Button, Keyboard
from gridbot.services.ports import Renderer, UnitOfWork

logger = logging.getLogger(__name__)

BotUsername = Callable[[], str | None] | str | None
PARSE_MODE = "HTML"


def reachable(person: Person | None) -> bool:
    """Whether the bot can write to this person (they have an account and did not block it)."""
    return person is not None and person.telegram_id is not None and not person.blocked_bot


class OutboxWriter:
    """``bot_username`` (a string, or a callable asked at each message) builds deep links
    ``https://t.me/<bot>?start=<payload>``; while it is unknown, deep-link buttons are left
    out rather than sent broken."""

    def __init__(self, renderer: Renderer, bot_username: BotUsername = None) -> None:
        self.renderer = renderer
        self._bot_username = bot_username

    @property
    def bot_username(self) -> str | None:
        name = self._bot_username() if callable(self._bot_username) else self._bot_username
        return name.lstrip("@") if name else None

    async def call(
        self,
        uow: UnitOfWork,
        now: datetime,
        chat_id: int,
        method: str,
        params: dict[str, Any],
        chat_kind: ChatKind = ChatKind.PRIVATE,
        not_before: datetime | None = None,
    ) -> None:
        """Queue any Bot API ``method`` for ``chat_id`` (not sent before ``not_before``)."""
        clean = {key: value for key, value in params.items() if key != "chat_id"}
        message = OutboxMessage(
            chat_id, method, clean, now, chat_kind=chat_kind, not_before=not_before
        )
        await uow.outbox.queue(message)

    async def to_person(
        self,
        uow: UnitOfWork,
        now: datetime,
        person: Person,
        template: str,
        *,
        keyboard: Keyboard | None = None,
        photo: str | None = None,
        not_before: datetime | None = None,
        **context: Any,
    ) -> bool:
        """Message a person in their language; False when they cannot be reached."""
        if not reachable(person):
            return False
        assert person.telegram_id is not None
        locale = self.renderer.locale_for(person.language)
        message = self._message(template, locale, keyboard, photo, context)
        if message is not None:
            method, params = message
            await self.call(uow, now, person.telegram_id, method, params, not_before=not_before)
        return True

    async def to_chat(
        self,
        uow: UnitOfWork,
        now: datetime,
        chat_id: int,
        template: str,
        *,
        keyboard: Keyboard | None = None,
        not_before: datetime | None = None,
        **context: Any,
    ) -> None:
        """Post in a group, in the default language. Templates posted to groups must never
        carry personal data (names of residents, phones, addresses)."""
        locale = self.renderer.locale_for(None)
        message = self._message(template, locale, keyboard, None, context)
        if message is not None:
            method, params = message
            await self.call(uow, now, chat_id, method, params, ChatKind.GROUP, not_before)

    async def pin(
        self,
        uow: UnitOfWork,
        now: datetime,
        person: Person,
        latitude: float,
        longitude: float,
        *,
        not_before: datetime | None = None,
    ) -> None:
        """A map pin (sendLocation), e.g. under a case card."""
        if reachable(person):
            assert person.telegram_id is not None
            pin = {"latitude": latitude, "longitude": longitude}
            await self.call(
                uow, now, person.telegram_id, "sendLocation", pin, not_before=not_before
            )

    def _message(
        self,
        template: str,
        locale: str,
        keyboard: Keyboard | None,
        photo: str | None,
        context: dict[str, Any],
    ) -> tuple[str, dict[str, Any]] | None:
        text = self.renderer.render(template, locale, **context)
        params: dict[str, Any] = {}
        markup = self.reply_markup(keyboard, locale)
        if markup is not None:
            params["reply_markup"] = markup
        if photo:
            params["photo"] = photo
            if text:
                params.update(caption=fit_html(text, CAPTION_LIMIT), parse_mode=PARSE_MODE)
            return "sendPhoto", params
        if not text:
            logger.warning("template %s rendered nothing: not sent", template)
            return None
        params.update(text=fit_html(text, TEXT_LIMIT), parse_mode=PARSE_MODE)
        return "sendMessage", params

    def reply_markup(self, keyboard: Keyboard | None, locale: str) -> dict[str, Any] | None:
        """The Bot API ``InlineKeyboardMarkup`` of ``keyboard``, labels in ``locale``."""
        if keyboard is None:
            return None
        rows = [
            [b for b in (self._button(button, locale) for button in row) if b is not None]
            for row in keyboard.rows
        ]
        rows = [row for row in rows if row]
        return {"inline_keyboard": rows} if rows else None

    def _button(self, button: Button, locale: str) -> dict[str, Any] | None:
        text = self.renderer.gettext(locale, button.label)
        if button.label_values:
            text = text % dict(button.label_values)
        if button.callback is not None:
            return {"text": text, "callback_data": button.callback}
        if button.url is not None:
            return {"text": text, "url": button.url}
        if button.start_payload is not None:
            username = self.bot_username
            if username is None:
                return None
            return {"text": text, "url": f"https://t.me/{username}?start={button.start_payload}"}
        return None
