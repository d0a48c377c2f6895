"""Card actions that hand a case on after a choice: 退回 return (duplicate → the other case's
number; out of scope → an optional note), 转派 transfer (pick a colleague), 吹哨 whistle
(pick a department); the Cancel button of every step, and step buttons gone stale."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message

from gridbot.domain.case import ReturnReason
from gridbot.domain.lifecycle import CaseAction
from gridbot.handlers.common import conversation
from gridbot.handlers.common.callbacks import CaseStepCallback, id_value
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.workflow.card import department_name, step_button
from gridbot.handlers.workflow.steps import (
    CaseNotes,
    CaseStep,
    ask,
    begin,
    cancel_row,
    finish,
    tapped_case,
)
from gridbot.services.context import Actor, Context
from gridbot.services.workflow import (
    CaseCommand,
    ReturnCase,
    TransferCase,
    WhistleCase,
    return_case,
    transfer_case,
    transfer_options,
    whistle_case,
    whistle_options,
)

Step = CaseStepCallback


async def _prompt(
    query: CallbackQuery, state: FSMContext, text: str, rows: list[list[InlineKeyboardButton]]
) -> None:
    await query.answer()
    await ask(state, query.message if isinstance(query.message, Message) else None, text, rows)


async def on_return_tap(
    query: CallbackQuery,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    case = await begin(state, query, ctx, actor, CaseAction.REJECT, CaseNotes.return_reason)
    assert case.id is not None
    reasons = [
        step_button(t("Duplicate"), "why", case.id, ReturnReason.DUPLICATE),
        step_button(t("Out of scope"), "why", case.id, ReturnReason.OUT_OF_SCOPE),
    ]
    text = render("worker/ask_return_reason.html.j2", case=case)
    await _prompt(query, state, text, [reasons, cancel_row(case.id, t)])


async def on_return_reason(
    query: CallbackQuery,
    callback_data: Step,
    draft: CaseStep,
    state: FSMContext,
    render: Render,
    t: Translate,
) -> None:
    duplicate = callback_data.value == ReturnReason.DUPLICATE
    draft.reason = callback_data.value
    step = CaseNotes.return_number if duplicate else CaseNotes.return_note
    await conversation.advance(state, draft, step)
    rows = [cancel_row(draft.case_id, t)]
    if not duplicate:
        rows.insert(0, [step_button(t("Skip"), "skip", draft.case_id)])
    template = "worker/ask_duplicate.html.j2" if duplicate else "worker/ask_return_note.html.j2"
    await _prompt(query, state, render(template), rows)


async def _return(
    event: Message | CallbackQuery,
    note: str | None,
    draft: CaseStep,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    reason = ReturnReason(draft.reason or ReturnReason.OUT_OF_SCOPE)
    duplicate = note if reason == ReturnReason.DUPLICATE else None
    extra = None if duplicate else note
    command = ReturnCase(actor, draft.case_id, reason, extra, duplicate)
    card = await return_case(command, ctx)
    done = t("Returned.")
    await finish(state, event.bot, card, render, t, ctx, done)
    text = render("worker/done.html.j2", case=card.case, done=done)
    if isinstance(event, CallbackQuery):
        await event.answer(done)
        event = event.message  # type: ignore[assignment]
    if isinstance(event, Message):
        await event.answer(text)


async def on_return_text(
    message: Message,
    draft: CaseStep,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    await _return(message, message.text, draft, state, ctx, actor, render, t)


async def on_return_skip(
    query: CallbackQuery,
    draft: CaseStep,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    await _return(query, None, draft, state, ctx, actor, render, t)


async def on_transfer_tap(
    query: CallbackQuery,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    case_id = tapped_case(query)
    targets = await transfer_options(CaseCommand(actor, case_id), ctx)
    await begin(state, query, ctx, actor, CaseAction.TRANSFER, CaseNotes.choosing)
    rows = [
        [step_button(f"{x.name} · {x.unit_name_in(locale)}", "to", case_id, str(x.person_id))]
        for x in targets
    ]
    text = render("worker/ask_transfer_target.html.j2", found=bool(targets))
    await _prompt(query, state, text, [*rows, cancel_row(case_id, t)])


async def on_whistle_tap(
    query: CallbackQuery,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    case_id = tapped_case(query)
    departments = await whistle_options(CaseCommand(actor, case_id), ctx)
    await begin(state, query, ctx, actor, CaseAction.WHISTLE, CaseNotes.choosing)
    rows = [[step_button(department_name(d, t), "dept", case_id, d)] for d in departments]
    text = render("worker/ask_department.html.j2", found=bool(departments))
    await _prompt(query, state, text, [*rows, cancel_row(case_id, t)])


async def on_chosen(
    query: CallbackQuery,
    callback_data: Step,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    case_id, value = callback_data.case_id, callback_data.value
    if callback_data.step == "to":
        card = await transfer_case(TransferCase(actor, case_id, id_value(value)), ctx)
        done = t("Transferred.")
    else:
        card = await whistle_case(WhistleCase(actor, case_id, value), ctx)
        done = t("Whistled to %(department)s.", department=department_name(value, t))
    await finish(state, query.bot, card, render, t, ctx, done)
    await query.answer(done)
    if isinstance(query.message, Message):
        await query.message.edit_text(render("worker/done.html.j2", case=card.case, done=done))


async def on_cancel(query: CallbackQuery, state: FSMContext, render: Render, t: Translate) -> None:
    if await state.get_state() in CaseNotes.__all_states_names__:
        await state.clear()
    await query.answer(t("Cancelled."))
    if isinstance(query.message, Message):
        await query.message.edit_text(render("worker/cancelled.html.j2"))


async def on_stale_step(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("This step is no longer active. Open the case again."), show_alert=True)
