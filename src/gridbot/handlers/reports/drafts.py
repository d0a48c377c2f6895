"""Report and wish drafts: the conversation object of both (``Draft``), its filters, its
expiry, and the summary and "submitted" cards that end it.

A draft has an id that travels in every DraftCallback of its buttons: a tap whose id is not
the current draft's is a button of an old or finished draft and changes nothing. A draft
left alone for ``DRAFT_TTL`` expires: the next interaction is told so and nothing is
submitted.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message, TelegramObject

from gridbot.domain.case import Case, Location
from gridbot.handlers.common import conversation
from gridbot.handlers.common.callbacks import DraftCallback
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.reports import keyboards as kb
from gridbot.handlers.reports.states import is_draft_state
from gridbot.services.context import Context

DRAFT_TTL = timedelta(minutes=30)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


@dataclass
class Draft:
    id: str
    kind: str  # "report" or "wish"
    touched_at: str  # ISO time of the last interaction
    source_chat_id: int | None = None
    category: str | None = None
    text: str | None = None
    photos: list[str] = field(default_factory=list)
    albums: list[str] = field(default_factory=list)  # media groups already acknowledged
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    public: bool | None = None
    wanted_by: str | None = None  # YYYY-MM-DD

    @property
    def location(self) -> Location | None:
        if self.latitude is None and self.address is None:
            return None
        return Location(latitude=self.latitude, longitude=self.longitude, address=self.address)

    def expired(self, now: datetime) -> bool:
        return now - datetime.fromisoformat(self.touched_at) > DRAFT_TTL


async def start_draft(
    state: FSMContext, now: datetime, kind: str, step: State, **fields: Any
) -> Draft:
    draft = Draft(id=secrets.token_hex(4), kind=kind, touched_at=now.isoformat(), **fields)
    await conversation.begin(state, draft, step)
    return draft


def has_draft() -> Filter:
    """Passes the current draft to the handler as ``draft``."""
    return conversation.Holds(Draft)


class ActiveDraft(Filter):
    """A DraftCallback of the current draft (after ``DraftCallback.filter()``)."""

    async def __call__(
        self, event: TelegramObject, state: FSMContext, callback_data: DraftCallback
    ) -> bool | dict[str, Any]:
        draft = await conversation.load(state, Draft)
        if draft is None or draft.id != callback_data.draft:
            return False
        return {"draft": draft}


class DraftExpiryMiddleware(BaseMiddleware):
    """Outer middleware of the draft routers: ends a draft untouched for DRAFT_TTL before
    anything reads it, and marks a draft as touched after every interaction with it."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        state: FSMContext | None = data.get("state")
        ctx: Context | None = data.get("ctx")
        if state is None or ctx is None or not is_draft_state(data.get("raw_state")):
            return await handler(event, data)
        draft = await conversation.load(state, Draft)
        now = ctx.clock.now()
        if draft is not None and draft.expired(now):
            await state.clear()
            data["raw_state"] = None
            stop = not passes_on(event)
            await tell_expired(event, data["render"], answer_query=stop)
            if stop:
                return None
        result = await handler(event, data)
        if is_draft_state(await state.get_state()):
            draft = await conversation.load(state, Draft)
            if draft is not None:
                draft.touched_at = now.isoformat()
                await conversation.save(state, draft)
        return result


def passes_on(event: TelegramObject) -> bool:
    """After an expiry notice, a command (or a tap that is not a draft's) still runs."""
    if isinstance(event, Message):
        return (event.text or "").startswith("/")
    if isinstance(event, CallbackQuery):
        return not (event.data or "").startswith(f"{DraftCallback.__prefix__}:")
    return True


async def tell_expired(event: TelegramObject, render: Render, *, answer_query: bool) -> None:
    """Say the draft expired; a tap is answered here only when no handler will answer it."""
    text = render("report/expired.html.j2")
    if isinstance(event, CallbackQuery):
        if answer_query:
            await event.answer()
        if isinstance(event.message, Message):
            await event.message.answer(text)
    elif isinstance(event, Message):
        await event.answer(text)


async def close_submitted_draft(
    query: CallbackQuery, state: FSMContext, case: Case, render: Render, t: Translate
) -> None:
    """After a report or wish is submitted: the draft ends and its summary card turns into
    "submitted" with a button to follow it (the numbered confirmation comes via the outbox)."""
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message) and case.id is not None:
        text = render("report/submitted.html.j2", case=case)
        await query.message.edit_text(text, reply_markup=kb.case_opened(case.id, t))


async def show_summary(
    query: CallbackQuery, state: FSMContext, draft: Draft, step: State, text: str, t: Translate
) -> None:
    """The last step of a draft: its summary card, with Submit and Cancel."""
    await conversation.advance(state, draft, step)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=kb.confirm(draft.id, t))
