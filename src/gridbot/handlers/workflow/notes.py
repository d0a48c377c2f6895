"""Card actions that ask for something first: 进展 progress (a note or a photo) and 办结
resolve ("what was done", then photos: required when the category asks for evidence).

The first tap is checked before anything is asked, so someone else's case or a stale card
is refused at once.
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.texts import MAX_PHOTOS, check_text
from gridbot.handlers.common import conversation
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.workflow.card import step_button
from gridbot.handlers.workflow.steps import CaseNotes, CaseStep, ask, begin, cancel_row, finish
from gridbot.services.context import Actor, Context
from gridbot.services.workflow import AddProgress, ResolveCase, add_progress, resolve_case


async def on_progress_tap(
    query: CallbackQuery,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    case = await begin(state, query, ctx, actor, CaseAction.PROGRESS, CaseNotes.progress)
    await query.answer()
    message = query.message if isinstance(query.message, Message) else None
    assert case.id is not None
    text = render("worker/ask_progress.html.j2", case=case)
    await ask(state, message, text, [cancel_row(case.id, t)])


async def on_progress(
    message: Message,
    draft: CaseStep,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    photos = (message.photo[-1].file_id,) if message.photo else ()
    note = message.text or message.caption or (t("(photo)") if photos else "")
    card = await add_progress(AddProgress(actor, draft.case_id, note, photos), ctx)
    done = t("Progress noted.")
    await finish(state, message.bot, card, render, t, ctx, done)
    await message.answer(render("worker/done.html.j2", case=card.case, done=done))


async def on_resolve_tap(
    query: CallbackQuery,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    case = await begin(state, query, ctx, actor, CaseAction.RESOLVE, CaseNotes.resolve_note)
    await query.answer()
    message = query.message if isinstance(query.message, Message) else None
    assert case.id is not None
    text = render("worker/ask_resolution.html.j2", case=case)
    await ask(state, message, text, [cancel_row(case.id, t)])


async def on_resolve_note(
    message: Message, draft: CaseStep, state: FSMContext, render: Render, t: Translate
) -> None:
    draft.note = check_text(message.text or message.caption)  # refused: the error handler says why
    draft.photos = [message.photo[-1].file_id] if message.photo else []
    await conversation.advance(state, draft, CaseNotes.resolve_photos)
    await _ask_photos(state, message, render, t, draft)


async def _ask_photos(
    state: FSMContext, message: Message, render: Render, t: Translate, draft: CaseStep
) -> None:
    rows = [
        [step_button(t("Done adding photos"), "done", draft.case_id)],
        cancel_row(draft.case_id, t),
    ]
    text = render("worker/ask_evidence.html.j2", count=len(draft.photos), limit=MAX_PHOTOS)
    await ask(state, message, text, rows)


async def on_resolve_photo(
    message: Message, draft: CaseStep, state: FSMContext, render: Render, t: Translate
) -> None:
    assert message.photo
    draft.photos = [*draft.photos, message.photo[-1].file_id][:MAX_PHOTOS]
    await conversation.save(state, draft)
    await _ask_photos(state, message, render, t, draft)


async def on_resolve_done(
    query: CallbackQuery,
    draft: CaseStep,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    command = ResolveCase(actor, draft.case_id, draft.note or "", tuple(draft.photos))
    card = await resolve_case(command, ctx)
    done = t("Resolved.")
    await finish(state, query.bot, card, render, t, ctx, done)
    await query.answer(done)
    if isinstance(query.message, Message):
        await query.message.edit_text(render("worker/done.html.j2", case=card.case, done=done))


async def on_not_understood(message: Message, raw_state: str | None, render: Render) -> None:
    await message.answer(render("worker/not_understood.html.j2", state=raw_state or ""))
