"""The /invite conversation: its states and the object it keeps (one dataclass per flow,
``handlers/common/conversation``)."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.fsm.state import State, StatesGroup


class InviteFlow(StatesGroup):
    role = State()
    unit = State()


@dataclass
class InviteDraft:
    """An invitation being made: the role, once chosen."""

    role: str = ""
