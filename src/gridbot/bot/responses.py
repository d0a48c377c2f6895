"""Keep aiogram's parsed-answer models alive.

aiogram parses every Bot API answer with ``Response[method.__returning__]``, a pydantic
generic model built on first use. pydantic caches such parametrized models only weakly, so
whenever the garbage collector has run (often, in a bot that also works a database) the next
call builds the model again: milliseconds of schema generation for every Bot API call, the
largest single cost a profile of the report flow showed (docs/benchmarks.md). Holding one
strong reference to each keeps every lookup a cache hit.
"""

from __future__ import annotations

import logging

import aiogram.methods
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
