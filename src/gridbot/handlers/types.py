"""What handlers receive from the middlewares, as types (the callables live in gridbot.bot)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Protocol

from gridbot.domain.notices import Notifier
from gridbot.domain.ports import Clock, UnitOfWork

UowFactory = Callable[[], UnitOfWork]


class Render(Protocol):
    """``render("start.html.j2", view=...)``: a template rendered in the user's locale."""

    def __call__(self, name: str, /, **context: Any) -> str: ...


class Translate(Protocol):
    """``t("Hello, %(name)s!", name=...)``: one message translated into the user's locale."""

    def __call__(self, msgid: str, /, **values: Any) -> str: ...


@dataclass(frozen=True)
class Services:
    """What a use case needs from the bot, in one piece: units of work, the clock, the
    notifier (messages to others, queued in the outbox) and the local time zone."""

    uow_factory: UowFactory
    clock: Clock
    notifier: Notifier
    tz: tzinfo
