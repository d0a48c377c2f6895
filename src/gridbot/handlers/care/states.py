"""The care conversations: their states and the object each keeps (one dataclass per flow,
``handlers/common/conversation``)."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.fsm.state import State, StatesGroup


class AddCare(StatesGroup):
    name = State()
    category = State()
    interval = State()
    worker = State()
    address = State()
    phone = State()


class ChangeCare(StatesGroup):
    worker = State()
    interval = State()


class VisitSteps(StatesGroup):
    outcome = State()
    note = State()
    photo = State()
    after = State()  # recorded: raise a case or a wish, or done
    category = State()  # of the case raised
    text = State()  # of the case or wish raised


@dataclass
class NewCare:
    """A care person being added to ``grid``."""

    grid: str
    name: str = ""
    category: str = ""
    interval: int = 0
    worker_id: int = 0
    address: str | None = None


@dataclass
class CareChange:
    """Another worker or interval for a care person."""

    care_id: int


@dataclass
class VisitDraft:
    """A visit being recorded; then (``visit_id`` set) what it raises."""

    care_id: int
    name: str = ""
    outcome: str = ""
    note: str | None = None
    visit_id: int = 0
    kind: str = ""  # "issue" or "wish", once chosen
    category: str = ""
