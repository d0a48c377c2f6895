"""Conversation data kept one way (handlers/common/conversation.py): one typed object per
conversation, stored as plain JSON values that share nothing with the object."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage

from gridbot.handlers.common import conversation


@dataclass
class Trip:
    name: str
    stops: list[str] = field(default_factory=list)
    notes: dict[str, list[int]] = field(default_factory=dict)
    done: bool | None = None


@dataclass
class Other:
    name: str


class Steps(StatesGroup):
    first = State()
    second = State()


def _state() -> FSMContext:
    return FSMContext(MemoryStorage(), StorageKey(bot_id=1, chat_id=2, user_id=3))


async def test_what_is_stored_is_plain_json_and_loads_back_equal() -> None:
    state = _state()
    trip = Trip("巡查", ["东门", "北门"], {"东门": [1, 2]})
    await conversation.begin(state, trip, Steps.first)
    assert await state.get_state() == Steps.first.state
    assert (await state.get_data()) == {
        "draft": {
            "name": "巡查",
            "stops": ["东门", "北门"],
            "notes": {"东门": [1, 2]},
            "done": None,
            "_kind": "Trip",
        }
    }
    assert await conversation.load(state, Trip) == trip


async def test_the_stored_data_shares_nothing_with_the_object() -> None:
    state = _state()
    trip = Trip("巡查", ["东门"], {"东门": [1]})
    await conversation.advance(state, trip, Steps.second)
    trip.stops.append("西门")
    trip.notes["东门"].append(9)
    loaded = await conversation.load(state, Trip)
    assert loaded == Trip("巡查", ["东门"], {"东门": [1]})
    assert await state.get_state() == Steps.second.state


async def test_another_kind_or_unknown_fields_load_as_none() -> None:
    state = _state()
    await conversation.save(state, Other("x"))
    assert await conversation.load(state, Trip) is None
    assert await conversation.load(state, Other) == Other("x")
    await state.update_data({"draft": {"name": "x", "color": "red", "_kind": "Other"}})
    assert await conversation.load(state, Other) is None
    await state.update_data({"draft": "not an object"})
    assert await conversation.load(state, Other) is None
