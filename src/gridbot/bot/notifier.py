"""The Notifier port on the outbox: render in the recipient's language, queue the Bot API call.

Nothing is sent here. The rendered message is written to the outbox in the caller's unit of
work, so it leaves only if the change that caused it is committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from gridbot.bot.html_limits import CAPTION_LIMIT, TEXT_LIMIT, fit_html
from gridbot.bot.i18n import normalize_locale
from gridbot.bot.templating import Renderer
from gridbot.domain.messaging import ChatKind
from gridbot.domain.notices import Button, Keyboard
from gridbot.domain.outbox import enqueue_call, enqueue_photo, enqueue_text
from gridbot.domain.ports import Clock, UnitOfWork

logger = logging.getLogger(__name__)

BotUsername = Callable[[], str | None] | str | None


class OutboxNotifier:
    """Implements ``gridbot.domain.notices.Notifier``.

    ``bot_username`` (a string, or a callable asked at each message) builds deep links
    ``https://t.me/<bot>?start=<payload>``; while it is unknown, deep-link buttons are left
    out rather than sent broken.
    """

    def __init__(
        self,
        renderer: Renderer,
        clock: Clock,
        *,
        default_locale: str | None = None,
        bot_username: BotUsername = None,
    ) -> None:
        self.renderer = renderer
        self.clock = clock
        self.default_locale = default_locale or renderer.translator.default_locale
        self._bot_username = bot_username

    @property
    def bot_username(self) -> str | None:
        name = self._bot_username() if callable(self._bot_username) else self._bot_username
        return name.lstrip("@") if name else None

    async def to_person(
        self,
        uow: UnitOfWork,
        person_id: int,
        template: str,
        *,
        keyboard: Keyboard | None = None,
        photo: str | None = None,
        **context: Any,
    ) -> bool:
        person = await uow.people.get(person_id)
        if person is None or person.telegram_id is None or person.blocked_bot:
            return False
        locale = normalize_locale(person.language) or self.default_locale
        await self._enqueue(
            uow, person.telegram_id, ChatKind.PRIVATE, template, locale, keyboard, photo, context
        )
        return True

    async def pin_to_person(
        self, uow: UnitOfWork, person_id: int, latitude: float, longitude: float
    ) -> bool:
        person = await uow.people.get(person_id)
        if person is None or person.telegram_id is None or person.blocked_bot:
            return False
        pin = {"latitude": latitude, "longitude": longitude}
        await enqueue_call(uow, self.clock, person.telegram_id, "sendLocation", pin)
        return True

    async def to_chat(
        self,
        uow: UnitOfWork,
        chat_id: int,
        template: str,
        *,
        keyboard: Keyboard | None = None,
        locale: str | None = None,
        **context: Any,
    ) -> None:
        locale = normalize_locale(locale) or self.default_locale
        await self._enqueue(uow, chat_id, ChatKind.GROUP, template, locale, keyboard, None, context)

    async def _enqueue(
        self,
        uow: UnitOfWork,
        chat_id: int,
        kind: ChatKind,
        template: str,
        locale: str,
        keyboard: Keyboard | None,
        photo: str | None,
        context: dict[str, Any],
    ) -> None:
        text = self.renderer.render(template, locale, **context)
        markup = self.reply_markup(keyboard, locale)
        if photo:
            caption = fit_html(text, CAPTION_LIMIT) if text else None
            await enqueue_photo(
                uow,
                self.clock,
                chat_id,
                photo,
                caption=caption,
                chat_kind=kind,
                reply_markup=markup,
            )
        elif text:
            text = fit_html(text, TEXT_LIMIT)
            await enqueue_text(uow, self.clock, chat_id, text, chat_kind=kind, reply_markup=markup)
        else:
            logger.warning("template %s rendered nothing for chat %s: not sent", template, chat_id)

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
        text = self.renderer.translator.gettext(locale, button.label)
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
