"""What handlers receive from the middlewares by parameter name, as types.

``ctx`` (``gridbot.services.context.Context``) and ``actor`` (``Actor | None``, loaded once
per update) are the service layer's; ``render`` and ``t`` answer in the user's locale.
"""

from __future__ import annotations

from typing import Any, Protocol


class Render(Protocol):
    """``render("start.html.j2", view=...)``: a template rendered in the user's locale."""

    def __call__(self, name: str, /, **context: Any) -> str: ...


class Translate(Protocol):
    """``t("Hello, %(name)s!", name=...)``: one message translated into the user's locale."""

    def __call__(self, msgid: str, /, **values: Any) -> str: ...


class LocaleRenderer(Protocol):
    """The bot's renderer: renders in a locale other than the request's (after /lang)."""

    def render(self, name: str, locale: str, /, **context: Any) -> str: ...
