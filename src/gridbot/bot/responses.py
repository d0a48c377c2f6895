"""Make aiogram's models cheap to build: the parsed-answer models kept alive, and the bot
bound to each object in one step.

aiogram parses every Bot API answer with ``Response[method.__returning__]``, a pydantic
generic model built on first use. pydantic caches such parametrized models only weakly, so
whenever the garbage collector has run (often, in a bot that also works a database) the next
call builds the model again: milliseconds of schema generation for every Bot API call, the
largest single cost a profile of the report flow showed (docs/benchmarks.md). Holding one
strong reference to each keeps every lookup a cache hit.

Every aiogram object (the answer's message, its chat, sender and each keyboard button; the
calls and keyboards the bot builds) carries the bot it came from in a private attribute,
set by ``BotContextController.model_post_init``. pydantic wraps that hook once more in
each subclass, and each wrapper sets up the private attributes again, so a button built or
parsed ran the chain four levels deep: more than a third of the time of parsing a message
with a keyboard. ``bind_bot_in_one_step`` gives those classes one hook that leaves the
object exactly as the chain does (``{"_bot": bot}``, the context's bot or None).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import aiogram.methods
from aiogram.client.context_controller import BotContextController
from aiogram.methods.base import Response, TelegramMethod

log = logging.getLogger(__name__)

_PINNED: list[object] = []


def pin_response_models() -> int:
    """Build ``Response[T]`` for every Bot API method once and keep it; returns how many
    are held. Calling it again costs nothing."""
    if _PINNED:
        return len(_PINNED)
    for name in aiogram.methods.__all__:
        method = getattr(aiogram.methods, name)
        if not (isinstance(method, type) and issubclass(method, TelegramMethod)):
            continue
        returning = method.__dict__.get("__returning__")
        if returning is None:
            continue
        try:
            _PINNED.append(Response[returning])  # type: ignore[valid-type]
        except Exception as error:  # a model pydantic cannot build is simply not held
            log.debug("Response[%s] not pinned: %s", name, error)
    return len(_PINNED)


def _innermost(hook: object) -> object:
    while hasattr(hook, "__wrapped__"):
        hook = hook.__wrapped__
    return hook


def _bind(self: BotContextController, context: Any, /) -> None:
    bot = context.get("bot") if context else None
    private = getattr(self, "__pydantic_private__", None)
    if private is None:
        object.__setattr__(self, "__pydantic_private__", {"_bot": bot})
    else:  # set up by a subclass's own chain, with private attributes of its own
        private["_bot"] = bot


def _subclasses(kind: type[BotContextController]) -> Iterator[type[BotContextController]]:
    yield kind
    for sub in kind.__subclasses__():
        yield from _subclasses(sub)


def bind_bot_in_one_step() -> int:
    """Give every aiogram model whose only after-validation work is binding the bot one
    hook for it; returns how many classes have it. A class with private attributes or a
    hook of its own is left as it is. Calling it again changes nothing, except for models
    defined since (pydantic wrapped the one-step hook for them)."""
    chain_end = _innermost(BotContextController.__dict__["model_post_init"])
    bound = 0
    for kind in set(_subclasses(BotContextController)):
        hook = kind.__dict__.get("model_post_init")
        if hook is _bind:
            bound += 1
        elif _innermost(hook) in (chain_end, _bind) and kind.__private_attributes__.keys() == {
            "_bot"
        }:
            setattr(kind, "model_post_init", _bind)  # noqa: B010 (mypy: a method replaced)
            bound += 1
    return bound
