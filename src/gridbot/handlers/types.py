"""What handlers receive from the middlewares, as types (the callables live in gridbot.bot)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from gridbot.domain.ports import UnitOfWork

UowFactory = Callable[[], UnitOfWork]


class Render(Protocol):
    """``render("start.html.j2", view=...)``: a template rendered in the user's locale."""

    def __call__(self, name: str, /, **context: Any) -> str: ...


class Translate(Protocol):
    """``t("Hello, %(name)s!", name=...)``: one message translated into the user's locale."""

    def __call__(self, msgid: str, /, **values: Any) -> str: ...
