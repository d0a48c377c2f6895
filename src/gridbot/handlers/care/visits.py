"""Recording a care visit (走访), for the person's worker or the grid leader: 记录走访 →
正常 / 需要帮助 → a note (Skip when all is well) → a photo (or Skip) → recorded, the next
visit due. Then, on the spot: 上报事项 a case (category → words) or 发布微心愿 a micro-wish
(words), or 完成 done."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.domain.care import VisitOutcome, check_outcome
from gridbot.domain.case import CaseKind
from gridbot.domain.errors import ValidationFailed
from gridbot.domain.texts import MAX_TEXT, check_text
from gridbot.handlers.care import keyboards as kb
from gridbot.handlers.care.states import VisitDraft, VisitSteps
from gridbot.handlers.care.steps import send, tapped_message
from gridbot.handlers.common import conversation
from gridbot.handlers.common.answers import INVALID_TEXT, text_problem
from gridbot.handlers.common.callbacks import CareCallback, CareStepCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate
from gridbot.services.care import (
    RaiseFromVisit,
    RecordVisit,
    StartRaise,
    StartVisit,
    raise_from_visit,
    record_visit,
    start_raise,
    start_visit,
)
from gridbot.services.context import Actor, Context


async def on_visit(
    query: CallbackQuery,
    callback_data: CareCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    person = await start_visit(StartVisit(actor, callback_data.care_id), ctx)
    draft = VisitDraft(callback_data.care_id, person.name)
    await conversation.begin(state, draft, VisitSteps.outcome)
    await query.answer()
    await send(query, render("care/ask_outcome.html.j2", name=person.name), kb.outcomes(t))


async def on_outcome(
    query: CallbackQuery,
    callback_data: CareStepCallback,
    draft: VisitDraft,
    state: FSMContext,
    render: Render,
    t: Translate,
) -> None:
    draft.outcome = check_outcome(callback_data.value).value
    await conversation.advance(state, draft, VisitSteps.note)
    await query.answer()
    keyboard = kb.skip(t) if draft.outcome == VisitOutcome.NORMAL else kb.cancel_only(t)
    text = render("care/ask_note.html.j2", outcome=draft.outcome, limit=MAX_TEXT)
    await edit_or_answer(query, text, keyboard)


async def on_note(
    message: Message, draft: VisitDraft, state: FSMContext, render: Render, t: Translate
) -> None:
    try:
        draft.note = check_text(message.text)
    except ValidationFailed as refused:
        await message.answer(render(INVALID_TEXT, **text_problem(refused)))
        return
    await conversation.advance(state, draft, VisitSteps.photo)
    await message.answer(render("care/ask_photo.html.j2"), reply_markup=kb.skip(t))


async def on_skip_note(
    query: CallbackQuery, draft: VisitDraft, state: FSMContext, render: Render, t: Translate
) -> None:
    if draft.outcome != VisitOutcome.NORMAL:
        raise ValidationFailed("a visit that needs help needs a note", code="text_empty")
    await conversation.advance(state, draft, VisitSteps.photo)
    await query.answer()
    await edit_or_answer(query, render("care/ask_photo.html.j2"), kb.skip(t))


async def on_photo(
    message: Message,
    draft: VisitDraft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    assert message.photo
    await _record(message, draft, message.photo[-1].file_id, state, ctx, actor, render, t)


async def on_skip_photo(
    query: CallbackQuery,
    draft: VisitDraft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    await query.answer()
    await _record(tapped_message(query), draft, None, state, ctx, actor, render, t)


async def _record(
    message: Message | None,
    draft: VisitDraft,
    photo: str | None,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    await state.clear()  # a refusal ends the visit's conversation (the error handler says why)
    command = RecordVisit(actor, draft.care_id, draft.outcome, draft.note, photo)
    recorded = await record_visit(command, ctx)
    assert recorded.visit.id is not None
    draft.visit_id = recorded.visit.id
    await conversation.begin(state, draft, VisitSteps.after)
    if message is not None:
        text = render("care/recorded.html.j2", recorded=recorded, tz=ctx.tz)
        await message.answer(text, reply_markup=kb.after_visit(t))


async def on_raise(
    query: CallbackQuery,
    callback_data: CareStepCallback,
    draft: VisitDraft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    locale: str,
    t: Translate,
) -> None:
    kind = CaseKind.WISH if callback_data.value == CaseKind.WISH else CaseKind.ISSUE
    start = await start_raise(StartRaise(actor, draft.visit_id, kind), ctx)
    draft.kind = kind.value
    await query.answer()
    if kind == CaseKind.ISSUE:
        await conversation.advance(state, draft, VisitSteps.category)
        keyboard = kb.case_categories(start.categories, locale, t)
        await send(query, render("care/ask_raise_category.html.j2"), keyboard)
        return
    await conversation.advance(state, draft, VisitSteps.text)
    await send(query, _ask_text(render, draft, again=False), kb.cancel_only(t))


async def on_raise_category(
    query: CallbackQuery,
    callback_data: CareStepCallback,
    draft: VisitDraft,
    state: FSMContext,
    render: Render,
    t: Translate,
) -> None:
    draft.category = callback_data.value
    await conversation.advance(state, draft, VisitSteps.text)
    await query.answer()
    await edit_or_answer(query, _ask_text(render, draft, again=False), kb.cancel_only(t))


async def on_raise_text(
    message: Message,
    draft: VisitDraft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    kind = CaseKind(draft.kind)
    command = RaiseFromVisit(actor, draft.visit_id, kind, message.text or "", draft.category)
    try:
        case = await raise_from_visit(command, ctx)
    except ValidationFailed as refused:
        if refused.details.get("code") not in ("text_empty", "text_too_long", "care_private"):
            await state.clear()
            raise
        await _refuse_text(message, render, draft, refused, t)
        return
    await state.clear()
    await message.answer(render("care/raised.html.j2", case=case))


async def on_done(query: CallbackQuery, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await query.answer(t("Done"))
    message = tapped_message(query)
    if message is not None:
        with contextlib.suppress(TelegramBadRequest):  # already edited
            await message.edit_reply_markup(reply_markup=None)


def _ask_text(render: Render, draft: VisitDraft, *, again: bool) -> str:
    return render("care/ask_raise_text.html.j2", kind=draft.kind, limit=MAX_TEXT, again=again)


async def _refuse_text(
    message: Message, render: Render, draft: VisitDraft, refused: ValidationFailed, t: Translate
) -> None:
    if refused.details.get("code") == "care_private":
        await message.answer(_ask_text(render, draft, again=True), reply_markup=kb.cancel_only(t))
    else:
        await message.answer(render(INVALID_TEXT, **text_problem(refused)))
