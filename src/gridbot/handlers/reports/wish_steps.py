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

from gridbot.domain.texts import MAX_TEXT
from gridbot.handlers.common import conversation
from gridbot.handlers.common.answers import checked_text, not_text
from gridbot.handlers.common.callbacks import DraftCallback
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.reports import keyboards as kb
from gridbot.handlers.reports.drafts import (
    ActiveDraft,
    Draft,
    close_submitted_draft,
    has_draft,
    show_summary,
    start_draft,
)
from gridbot.handlers.reports.states import WishFlow
from gridbot.services.context import Actor, Context
from gridbot.services.reports import NewWish, StartReport, start_wish, submit_wish

TEXT = F.text & ~F.text.startswith("/")
NOT_COMMAND = ~F.text.startswith("/")
TYPED_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
WITHIN = {"week": timedelta(days=7), "month": timedelta(days=30)}
LATEST = timedelta(days=366)
EXAMPLE_AHEAD = timedelta(days=30)


async def cmd_wish(
    message: Message,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    start = await start_wish(StartReport(actor), ctx)
    draft = await start_draft(state, ctx.clock.now(), "wish", WishFlow.text)
    text = render("wish/ask_text.html.j2", grid=start.grid, limit=MAX_TEXT)
    await message.answer(text, reply_markup=kb.cancel_only(draft.id, t))


async def on_text(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    draft.text = await checked_text(message, render)
    if draft.text is None:
        return
    await conversation.advance(state, draft, WishFlow.photo)
    await message.answer(render("wish/ask_photo.html.j2"), reply_markup=kb.photos(draft.id, 0, t))


async def on_photo(
    message: Message,
    draft: Draft,
    state: FSMContext,
    ctx: Context,
    render: Render,
    t: Translate,
) -> None:
    assert message.photo
    draft.photos = [message.photo[-1].file_id]
    await ask_wanted_by(message, draft, state, ctx, render, t)


async def on_photo_skipped(
    query: CallbackQuery,
    draft: Draft,
    state: FSMContext,
    ctx: Context,
    render: Render,
    t: Translate,
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await ask_wanted_by(query.message, draft, state, ctx, render, t)


async def ask_wanted_by(
    message: Message,
    draft: Draft,
    state: FSMContext,
    ctx: Context,
    render: Render,
    t: Translate,
) -> None:
    await conversation.advance(state, draft, WishFlow.wanted_by)
    text = render("wish/ask_wanted_by.html.j2", example=example_date(ctx))
    await message.answer(text, reply_markup=kb.wanted_by(draft.id, t))


def example_date(ctx: Context) -> str:
    """A date to show as the example of a typed one: always ahead, in the bot's zone."""
    return (ctx.clock.now().astimezone(ctx.tz).date() + EXAMPLE_AHEAD).isoformat()


async def answer_invalid_date(
    message: Message, draft: Draft, ctx: Context, render: Render, t: Translate
) -> None:
    text = render("wish/invalid_date.html.j2", example=example_date(ctx))
    await message.answer(text, reply_markup=kb.wanted_by(draft.id, t))


async def on_not_photo(message: Message, draft: Draft, render: Render, t: Translate) -> None:
    await message.answer(
        render("report/not_a_photo.html.j2"), reply_markup=kb.photos(draft.id, 0, t)
    )


async def on_wanted_by_tap(
    query: CallbackQuery,
    callback_data: DraftCallback,
    draft: Draft,
    state: FSMContext,
    ctx: Context,
    render: Render,
    t: Translate,
) -> None:
    today = ctx.clock.now().astimezone(ctx.tz).date()
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
    ctx: Context,
    render: Render,
    t: Translate,
) -> None:
    today = ctx.clock.now().astimezone(ctx.tz).date()
    wanted = typed_date(message.text or "")
    if wanted is None or not today <= wanted <= today + LATEST:
        await answer_invalid_date(message, draft, ctx, render, t)
        return
    draft.wanted_by = wanted.isoformat()
    await ask_public(message, draft, state, render, t)


async def on_not_date(
    message: Message, draft: Draft, ctx: Context, render: Render, t: Translate
) -> None:
    await answer_invalid_date(message, draft, ctx, render, t)


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
    await conversation.advance(state, draft, WishFlow.public)
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
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    case = await submit_wish(as_wish(actor, draft), ctx)
    await close_submitted_draft(query, state, case, render, t)


def as_wish(actor: Actor | None, draft: Draft) -> NewWish:
    return NewWish(
        actor=actor,
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
    router.message.register(on_text, WishFlow.text, TEXT, has_draft())
    router.message.register(not_text, WishFlow.text, NOT_COMMAND)
    router.message.register(on_photo, WishFlow.photo, F.photo, has_draft())
    router.message.register(on_not_photo, WishFlow.photo, NOT_COMMAND, has_draft())
    router.callback_query.register(
        on_photo_skipped, WishFlow.photo, steps(F.action == "skip"), ActiveDraft()
    )
    router.callback_query.register(
        on_wanted_by_tap, WishFlow.wanted_by, steps(F.action == "by"), ActiveDraft()
    )
    router.message.register(on_wanted_by_typed, WishFlow.wanted_by, TEXT, has_draft())
    router.message.register(on_not_date, WishFlow.wanted_by, NOT_COMMAND, has_draft())
    router.callback_query.register(
        on_public, WishFlow.public, steps(F.action == "pub"), ActiveDraft()
    )
    router.callback_query.register(
        on_submit, WishFlow.confirm, steps(F.action == "submit"), ActiveDraft()
    )
    return router
