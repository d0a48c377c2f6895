"""The steps of a report draft in the private chat: category → description → photos →
location → public? → summary → Submit. Each step stores what it got in the draft (FSM data)
and asks the next question; anything unexpected gets a hint and changes nothing."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from gridbot.domain.case import CaseKind
from gridbot.domain.cases import MAX_PHOTOS, MAX_TEXT, NewReport, check_text, submit_report
from gridbot.domain.errors import ValidationFailed
from gridbot.handlers import keyboards as kb
from gridbot.handlers.callbacks import DraftCallback
from gridbot.handlers.drafts import (
    ActiveDraft,
    Draft,
    HasDraft,
    advance,
    close_submitted_draft,
    save_draft,
    show_summary,
)
from gridbot.handlers.states import ReportFlow
from gridbot.handlers.types import Render, Services, Translate, UowFactory

TEXT = F.text & ~F.text.startswith("/")


async def on_category(
    query: CallbackQuery,
    callback_data: DraftCallback,
    draft: Draft,
    state: FSMContext,
    uow_factory: UowFactory,
    render: Render,
    t: Translate,
) -> None:
    async with uow_factory() as uow:
        category = await uow.categories.get(callback_data.value)
    if category is None or not category.active or not isinstance(query.message, Message):
        await query.answer(t("This draft is no longer active."), show_alert=True)
        return
    draft.category = category.code
    await advance(state, draft, ReportFlow.text)
    await query.answer()
    text = render("report/ask_text.html.j2", category=category, limit=MAX_TEXT)
    await query.message.edit_text(text, reply_markup=kb.cancel_only(draft.id, t))


async def on_text(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    draft.text = await checked_text(message, render)
    if draft.text is None:
        return
    await advance(state, draft, ReportFlow.photos)
    text = render("report/ask_photos.html.j2", limit=MAX_PHOTOS)
    await message.answer(text, reply_markup=kb.photos(draft.id, 0, t))


async def checked_text(message: Message, render: Render) -> str | None:
    """The message's text, checked; None after telling the person what is wrong."""
    try:
        return check_text(message.text)
    except ValidationFailed as refused:
        await message.answer(render("report/invalid_text.html.j2", **text_problem(refused)))
        return None


def text_problem(refused: ValidationFailed) -> dict[str, object]:
    details = refused.details
    return {"code": details.get("code"), "limit": MAX_TEXT, "length": details.get("length", 0)}


async def on_not_text(message: Message, render: Render) -> None:
    await message.answer(
        render("report/invalid_text.html.j2", code="not_text", limit=MAX_TEXT, length=0)
    )


async def on_photo(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    assert message.photo
    refused = len(draft.photos) >= MAX_PHOTOS
    if not refused:
        draft.photos.append(message.photo[-1].file_id)
    album = message.media_group_id
    if album is not None and album in draft.albums and not refused:
        await save_draft(state, draft)  # one answer per album, not one per photo
        return
    if album is not None:
        draft.albums.append(album)
    await save_draft(state, draft)
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
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    assert message.location is not None
    draft.latitude, draft.longitude = message.location.latitude, message.location.longitude
    await ask_public(message, draft, state, render, t)


async def on_address(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    if message.text != t("Skip"):
        draft.address = await checked_text(message, render)
        if draft.address is None:
            return
    await ask_public(message, draft, state, render, t)


async def ask_public(
    message: Message, draft: Draft, state: FSMContext, render: Render, t: Translate
) -> None:
    await advance(state, draft, ReportFlow.public)
    await message.answer(
        render("report/location_noted.html.j2", draft=draft), reply_markup=ReplyKeyboardRemove()
    )
    await message.answer(
        render("report/ask_public.html.j2"), reply_markup=kb.public_choice(draft.id, t)
    )


async def on_not_location(message: Message, render: Render) -> None:
    await message.answer(render("report/not_a_location.html.j2"))


async def on_public(
    query: CallbackQuery,
    callback_data: DraftCallback,
    draft: Draft,
    state: FSMContext,
    uow_factory: UowFactory,
    render: Render,
    t: Translate,
) -> None:
    draft.public = callback_data.value == "1"
    async with uow_factory() as uow:
        category = await uow.categories.get(draft.category or "")
    text = render("report/summary.html.j2", draft=draft, category=category)
    await show_summary(query, state, draft, ReportFlow.confirm, text, t)


async def on_submit(
    query: CallbackQuery,
    draft: Draft,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    async with services.uow_factory() as uow:
        case = await submit_report(
            as_report(query.from_user.id, draft),
            uow,
            services.clock,
            services.notifier,
            services.tz,
        )
        await uow.commit()
    await close_submitted_draft(query, state, case, render, t)


def as_report(telegram_id: int, draft: Draft) -> NewReport:
    return NewReport(
        reporter_telegram_id=telegram_id,
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
    router.message.register(on_text, ReportFlow.text, TEXT, HasDraft())
    router.message.register(on_not_text, ReportFlow.text, ~F.text.startswith("/"))
    router.message.register(on_photo, ReportFlow.photos, F.photo, HasDraft())
    router.message.register(on_not_photo, ReportFlow.photos, ~F.text.startswith("/"), HasDraft())
    router.callback_query.register(
        on_photos_done, ReportFlow.photos, steps(F.action.in_({"skip", "done"})), ActiveDraft()
    )
    router.message.register(on_location, ReportFlow.location, F.location, HasDraft())
    router.message.register(on_address, ReportFlow.location, TEXT, HasDraft())
    router.message.register(on_not_location, ReportFlow.location, ~F.text.startswith("/"))
    router.callback_query.register(
        on_public, ReportFlow.public, steps(F.action == "pub"), ActiveDraft()
    )
    router.callback_query.register(
        on_submit, ReportFlow.confirm, steps(F.action == "submit"), ActiveDraft()
    )
    return router
