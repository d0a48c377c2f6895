"""What a use case wants said, and to whom: the Notifier port and keyboard value objects.

Use cases run in one unit of work and must queue their messages in it (the outbox). They do
not render text: they name a template and give its context; the bot's notifier renders it in
the recipient's language and writes the outbox row in the same transaction.

Callback strings built here are the wire format of ``gridbot.handlers.callbacks``
(aiogram ``CallbackData``: ``prefix:field:field``); a test keeps the two identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from gridbot.domain.ports import UnitOfWork


@dataclass(frozen=True)
class Button:
    """One inline button. ``label`` is a gettext msgid, translated for the recipient.

    Exactly one of ``callback`` (callback_data), ``url`` or ``start_payload`` (a deep link
    into the private chat with the bot: ``https://t.me/<bot>?start=<payload>``) is set.
    """

    label: str
    callback: str | None = None
    url: str | None = None
    start_payload: str | None = None
    label_values: tuple[tuple[str, Any], ...] = ()  # %(name)s values for the label


@dataclass(frozen=True)
class Keyboard:
    rows: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, *rows: Sequence[Button]) -> Keyboard:
        return cls(tuple(tuple(row) for row in rows if row))


def case_callback(action: str, case_id: int) -> str:
    """Same bytes as ``CaseCallback(action=action, case_id=case_id).pack()``."""
    return f"c:{action}:{case_id}"


class Notifier(Protocol):
    """Queues rendered messages in the caller's unit of work (never sends directly)."""

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
        """Message a person in their language; False when they cannot be reached
        (no Telegram account yet, or they blocked the bot)."""
        ...

    async def pin_to_person(
        self, uow: UnitOfWork, person_id: int, latitude: float, longitude: float
    ) -> bool:
        """A map pin (sendLocation) to a person, e.g. after a case card; False when they
        cannot be reached."""
        ...

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
        """Post in a group chat, in ``locale`` or the default language. Templates posted to
        groups must never carry personal data (names of residents, phones, addresses)."""
        ...
