"""/wish: a micro-wish 微心愿 in the private chat: what is wished for → a photo (or Skip) →
by when → public? → summary → Submit. The grid's branch secretary approves it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.domain.cases import MAX_TEXT, NewWish, reporting_grid, submit_wish
from gridbot.handlers import keyboards as kb
from gridbot.handlers.callbacks import DraftCallback
from gridbot.handlers.drafts import (
    ActiveDraft,
    Draft,
    HasDraft,
    advance,
    close_submitted_draft,
    show_summary,
    start_draft,
)
from gridbot.handlers.report_steps import checked_text
from gridbot.handlers.states import WishFlow
from gridbot.handlers.types import Render, Services, Translate

TEXT = F.text & ~F.text.startswith("/")
NOT_COMMAND = ~F.text.startswith("/")
TYPED_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
WITHIN = {"week": timedelta(days=7), "month": timedelta(days=30)}
LATEST = timedelta(days=366)


async def cmd_wish(
    message: Message,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    assert message.from_user is not None
    async with services.uow_factory() as uow:
        grid = await reporting_grid(uow, message.from_user.id)
    draft = await start_draft(state, services.clock, "wish")
    await state.set_state(WishFlow.text)
    text = render("wish/ask_text.html.j2", grid=grid, limit=MAX_TEXT)
    await message.answer(text, reply_markup=kb.cancel_only(draft.id, t))


async def on_text(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    draft.text = await checked_text(message, render)
    if draft.text is None:
        return
    await advance(state, draft, WishFlow.photo)
    await message.answer(render("wish/ask_photo.html.j2"), reply_markup=kb.photos(draft.id, 0, t))


async def on_not_text(message: Message, render: Render) -> None:
    text = render("report/invalid_text.html.j2", code="not_text", limit=MAX_TEXT, length=0)
    await message.answer(text)


async def on_photo(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    assert message.photo
    draft.photos = [message.photo[-1].file_id]
    await ask_wanted_by(message, draft, state, render, t)


async def on_photo_skipped(
    query: CallbackQuery, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await ask_wanted_by(query.message, draft, state, render, t)


async def ask_wanted_by(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    await advance(state, draft, WishFlow.wanted_by)
    await message.answer(
        render("wish/ask_wanted_by.html.j2"), reply_markup=kb.wanted_by(draft.id, t)
    )


async def on_not_photo(message: Message, draft: Draft, render: Render, t: Translate) -> None:
    await message.answer(
        render("report/not_a_photo.html.j2"), reply_markup=kb.photos(draft.id, 0, t)
    )


async def on_wanted_by_tap(
    query: CallbackQuery,
    callback_data: DraftCallback,
    draft: Draft,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    today = services.clock.now().astimezone(services.tz).date()
    span = WITHIN.get(callback_data.value)
    draft.wanted_by = (today + span).isoformat() if span else None
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await ask_public(query.message, draft, state, render, t)


async def on_wanted_by_typed(
    message: Message,
    draft: Draft,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    today = services.clock.now().astimezone(services.tz).date()
    wanted = typed_date(message.text or "")
    if wanted is None or not today <= wanted <= today + LATEST:
        await message.answer(
            render("wish/invalid_date.html.j2"), reply_markup=kb.wanted_by(draft.id, t)
        )
        return
    draft.wanted_by = wanted.isoformat()
    await ask_public(message, draft, state, render, t)


async def on_not_date(message: Message, draft: Draft, render: Render, t: Translate) -> None:
    await message.answer(
        render("wish/invalid_date.html.j2"), reply_markup=kb.wanted_by(draft.id, t)
    )


def typed_date(text: str) -> date | None:
    """A YYYY-MM-DD date as people type it (2026-5-1 too); None when it is not a date."""
    match = TYPED_DATE.match(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


async def ask_public(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    await advance(state, draft, WishFlow.public)
    await message.answer(
        render("wish/ask_public.html.j2"), reply_markup=kb.public_choice(draft.id, t)
    )


async def on_public(
    query: CallbackQuery,
    callback_data: DraftCallback,
    draft: Draft,
    state: FSMContext,
    render: Render,
    t: Translate,
) -> None:
    draft.public = callback_data.value == "1"
    text = render("wish/summary.html.j2", draft=draft)
    await show_summary(query, state, draft, WishFlow.confirm, text, t)


async def on_submit(
    query: CallbackQuery,
    draft: Draft,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    async with services.uow_factory() as uow:
        case = await submit_wish(
            as_wish(query.from_user.id, draft), uow, services.clock, services.notifier, services.tz
        )
        await uow.commit()
    await close_submitted_draft(query, state, case, render, t)


def as_wish(telegram_id: int, draft: Draft) -> NewWish:
    return NewWish(
        reporter_telegram_id=telegram_id,
        text=draft.text or "",
        photos=tuple(draft.photos),
        wanted_by=date.fromisoformat(draft.wanted_by) if draft.wanted_by else None,
        public=bool(draft.public),
        source_chat_id=draft.source_chat_id,
    )


def build_router() -> Router:
    router = Router(name=__name__)
    steps = DraftCallback.filter
    router.message.register(cmd_wish, F.chat.type == ChatType.PRIVATE, Command("wish"), F.from_user)
    router.message.register(on_text, WishFlow.text, TEXT, HasDraft())
    router.message.register(on_not_text, WishFlow.text, NOT_COMMAND)
    router.message.register(on_photo, WishFlow.photo, F.photo, HasDraft())
    router.message.register(on_not_photo, WishFlow.photo, NOT_COMMAND, HasDraft())
    router.callback_query.register(
        on_photo_skipped, WishFlow.photo, steps(F.action == "skip"), ActiveDraft()
    )
    router.callback_query.register(
        on_wanted_by_tap, WishFlow.wanted_by, steps(F.action == "by"), ActiveDraft()
    )
    router.message.register(on_wanted_by_typed, WishFlow.wanted_by, TEXT, HasDraft())
    router.message.register(on_not_date, WishFlow.wanted_by, NOT_COMMAND, HasDraft())
    router.callback_query.register(
        on_public, WishFlow.public, steps(F.action == "pub"), ActiveDraft()
    )
    router.callback_query.register(
        on_submit, WishFlow.confirm, steps(F.action == "submit"), ActiveDraft()
    )
    return router
