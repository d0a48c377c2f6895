"""Conversation states (aiogram FSM) of the drafts: a report, a wish."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class ReportFlow(StatesGroup):
    category = State()
    text = State()
    photos = State()
    location = State()
    public = State()
    confirm = State()


class WishFlow(StatesGroup):
    text = State()
    photo = State()
    wanted_by = State()
    public = State()
    confirm = State()


DRAFT_GROUPS = (ReportFlow.__full_group_name__, WishFlow.__full_group_name__)


def is_draft_state(raw_state: str | None) -> bool:
    """A report or wish draft is in progress (the state's group is one of the drafts)."""
    return raw_state is not None and raw_state.split(":", 1)[0] in DRAFT_GROUPS
