"""The steps of a report draft in the private chat: category → description → photos →
location → public? → summary → Submit. Each step stores what it got in the draft (FSM data)
and asks the next question; anything unexpected gets a hint and changes nothing."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from gridbot.domain.case import CaseKind
from gridbot.domain.texts import MAX_PHOTOS, MAX_TEXT
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
)
from gridbot.handlers.reports.states import ReportFlow
from gridbot.services.context import Actor, Context
from gridbot.services.reports import (
    NewReport,
    PreviewPublicLine,
    find_report_category,
    preview_public_line,
    submit_report,
)

TEXT = F.text & ~F.text.startswith("/")


async def on_category(
    query: CallbackQuery,
    callback_data: DraftCallback,
    draft: Draft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    category = await find_report_category(ctx, actor, callback_data.value)
    if category is None or not isinstance(query.message, Message):
        await query.answer(t("This draft is no longer active."), show_alert=True)
        return
    draft.category = category.code
    await conversation.advance(state, draft, ReportFlow.text)
    await query.answer()
    text = render("report/ask_text.html.j2", category=category, limit=MAX_TEXT)
    await query.message.edit_text(text, reply_markup=kb.cancel_only(draft.id, t))


async def on_text(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    draft.text = await checked_text(message, render)
    if draft.text is None:
        return
    await conversation.advance(state, draft, ReportFlow.photos)
    text = render("report/ask_photos.html.j2", limit=MAX_PHOTOS)
    await message.answer(text, reply_markup=kb.photos(draft.id, 0, t))


async def on_photo(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    assert message.photo
    refused = len(draft.photos) >= MAX_PHOTOS
    if not refused:
        draft.photos.append(message.photo[-1].file_id)
    album = message.media_group_id
    if album is not None and album in draft.albums and not refused:
        await conversation.save(state, draft)  # one answer per album, not one per photo
        return
    if album is not None:
        draft.albums.append(album)
    await conversation.save(state, draft)
    text = render(
        "report/photo_added.html.j2", count=len(draft.photos), limit=MAX_PHOTOS, refused=refused
    )
    await message.answer(text, reply_markup=kb.photos(draft.id, len(draft.photos), t))


async def on_not_photo(message: Message, draft: Draft, render: Render, t: Translate) -> None:
    await message.answer(
        render("report/not_a_photo.html.j2"), reply_markup=kb.photos(draft.id, len(draft.photos), t)
    )


async def on_photos_done(
    query: CallbackQuery, state: FSMContext, render: Render, t: Translate
) -> None:
    await state.set_state(ReportFlow.location)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(
            render("report/ask_location.html.j2"), reply_markup=kb.location_request(t)
        )


async def on_location(
    message: Message,
    draft: Draft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    assert message.location is not None
    draft.latitude, draft.longitude = message.location.latitude, message.location.longitude
    await ask_public(message, draft, state, ctx, actor, render, t)


async def on_address(
    message: Message,
    draft: Draft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    if message.text != t("Skip"):
        draft.address = await checked_text(message, render)
        if draft.address is None:
            return
    await ask_public(message, draft, state, ctx, actor, render, t)


async def ask_public(
    message: Message,
    draft: Draft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    """Public or not, showing which group would see it and the very line it would get."""
    asked = PreviewPublicLine(actor, draft.category or "", draft.text or "", draft.source_chat_id)
    line = await preview_public_line(asked, ctx)
    await conversation.advance(state, draft, ReportFlow.public)
    await message.answer(
        render("report/location_noted.html.j2", draft=draft), reply_markup=ReplyKeyboardRemove()
    )
    await message.answer(
        render("report/ask_public.html.j2", line=line), reply_markup=kb.public_choice(draft.id, t)
    )


async def on_not_location(message: Message, render: Render) -> None:
    await message.answer(render("report/not_a_location.html.j2"))


async def on_public(
    query: CallbackQuery,
    callback_data: DraftCallback,
    draft: Draft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    draft.public = callback_data.value == "1"
    category = await find_report_category(ctx, actor, draft.category or "")
    text = render("report/summary.html.j2", draft=draft, category=category)
    await show_summary(query, state, draft, ReportFlow.confirm, text, t)


async def on_submit(
    query: CallbackQuery,
    draft: Draft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    case = await submit_report(as_report(actor, draft), ctx)
    await close_submitted_draft(query, state, case, render, t)


def as_report(actor: Actor | None, draft: Draft) -> NewReport:
    return NewReport(
        actor=actor,
        kind=CaseKind.ISSUE,
        category_code=draft.category or "",
        text=draft.text or "",
        photos=tuple(draft.photos),
        location=draft.location,
        public=bool(draft.public),
        source_chat_id=draft.source_chat_id,
    )


def build_router() -> Router:
    router = Router(name=__name__)
    steps = DraftCallback.filter
    router.callback_query.register(
        on_category, ReportFlow.category, steps(F.action == "cat"), ActiveDraft()
    )
    router.message.register(on_text, ReportFlow.text, TEXT, has_draft())
    router.message.register(not_text, ReportFlow.text, ~F.text.startswith("/"))
    router.message.register(on_photo, ReportFlow.photos, F.photo, has_draft())
    router.message.register(on_not_photo, ReportFlow.photos, ~F.text.startswith("/"), has_draft())
    router.callback_query.register(
        on_photos_done, ReportFlow.photos, steps(F.action.in_({"skip", "done"})), ActiveDraft()
    )
    router.message.register(on_location, ReportFlow.location, F.location, has_draft())
    router.message.register(on_address, ReportFlow.location, TEXT, has_draft())
    router.message.register(on_not_location, ReportFlow.location, ~F.text.startswith("/"))
    router.callback_query.register(
        on_public, ReportFlow.public, steps(F.action == "pub"), ActiveDraft()
    )
    router.callback_query.register(
        on_submit, ReportFlow.confirm, steps(F.action == "submit"), ActiveDraft()
    )
    return router
