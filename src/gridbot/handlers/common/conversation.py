"""Conversation data, kept one way: one typed object per conversation (a dataclass of plain
JSON values), stored in the FSM data under ``"draft"``, so it fits Redis too.

Each flow has its own type (a report draft, a case step, a wish step, a hazard); a flow
loads the object with its own type and gets None when the conversation is another one's.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any, TypeVar

from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import TelegramObject

KEY = "draft"
D = TypeVar("D")


async def load(state: FSMContext, kind: type[D]) -> D | None:
    """The conversation object, if the conversation holds one of ``kind``."""
    raw = (await state.get_data()).get(KEY)
    if not isinstance(raw, dict) or not is_dataclass(kind):
        return None
    if raw.get("_kind") != kind.__name__ or not (raw.keys() - {"_kind"}).issubset(_names(kind)):
        return None
    return kind(**{k: v for k, v in raw.items() if k != "_kind"})


@cache
def _names(kind: Any) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def _copied(value: Any) -> Any:
    """A JSON value, its lists and objects copied (the stored data shares nothing with the
    object it came from). ``dataclasses.asdict`` does the same through ``deepcopy``, at
    several times the cost, on every step of every draft."""
    if isinstance(value, list):
        return [_copied(item) for item in value]
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    return value


def _stored(draft: Any) -> dict[str, Any]:
    stored = {name: _copied(getattr(draft, name)) for name in _names(draft.__class__)}
    stored["_kind"] = type(draft).__name__
    return stored


async def save(state: FSMContext, draft: Any) -> None:
    await state.update_data({KEY: _stored(draft)})


async def begin(state: FSMContext, draft: Any, step: State) -> None:
    """A new conversation: whatever was kept before is dropped."""
    await state.set_data({KEY: _stored(draft)})
    await state.set_state(step)


async def advance(state: FSMContext, draft: Any, step: State) -> None:
    """Keep the object and move the conversation to its next step."""
    await save(state, draft)
    await state.set_state(step)


class Holds(Filter):
    """Passes the conversation object of ``kind`` to the handler as ``draft``."""

    def __init__(self, kind: type[Any]) -> None:
        self.kind = kind

    async def __call__(self, event: TelegramObject, state: FSMContext) -> bool | dict[str, Any]:
        draft = await load(state, self.kind)
        return {"draft": draft} if draft is not None else False
