"""Card actions that hand a case on after a choice: 退回 return (duplicate → the other case's
number; out of scope → an optional note), 转派 transfer (pick a colleague), 吹哨 whistle
(pick a department); the Cancel button of every step, and step buttons gone stale."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message

from gridbot.domain.case_cards import transfer_options, whistle_options
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.workflow import ReturnReason, return_case, transfer_case, whistle_case
from gridbot.handlers.callbacks import CaseCallback, CaseStepCallback
from gridbot.handlers.case_actions import NotAWish
from gridbot.handlers.case_notes import (
    TEXT,
    CaseNotes,
    CurrentCase,
    ask,
    begin,
    cancel_row,
    finish,
)
from gridbot.handlers.types import Render, Services, Translate, UowFactory
from gridbot.handlers.worker_cards import department_name, step_button

Step = CaseStepCallback


async def _prompt(
    query: CallbackQuery,
    state: FSMContext,
    text: str,
    rows: list[list[InlineKeyboardButton]],
) -> None:
    await query.answer()
    await ask(state, query.message if isinstance(query.message, Message) else None, text, rows)


async def on_return_tap(
    query: CallbackQuery, state: FSMContext, uow_factory: UowFactory, render: Render, t: Translate
) -> None:
    case = await begin(state, query, uow_factory, CaseAction.REJECT)
    await state.set_state(CaseNotes.return_reason)
    assert case.id is not None
    reasons = [
        step_button(t("Duplicate"), "why", case.id, ReturnReason.DUPLICATE),
        step_button(t("Out of scope"), "why", case.id, ReturnReason.OUT_OF_SCOPE),
    ]
    await _prompt(
        query,
        state,
        render("worker/ask_return_reason.html.j2", case=case),
        [reasons, cancel_row(case.id, t)],
    )


async def on_return_reason(
    query: CallbackQuery, callback_data: Step, state: FSMContext, render: Render, t: Translate
) -> None:
    duplicate = callback_data.value == ReturnReason.DUPLICATE
    await state.set_state(CaseNotes.return_number if duplicate else CaseNotes.return_note)
    await state.update_data(reason=callback_data.value)
    rows = [cancel_row(callback_data.case_id, t)]
    if not duplicate:
        rows.insert(0, [step_button(t("Skip"), "skip", callback_data.case_id)])
    template = "worker/ask_duplicate.html.j2" if duplicate else "worker/ask_return_note.html.j2"
    await _prompt(query, state, render(template), rows)


async def _return(
    event: Message | CallbackQuery,
    note: str | None,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    data, who = await state.get_data(), event.from_user.id if event.from_user else 0
    reason = ReturnReason(data["reason"])
    duplicate = note if reason == ReturnReason.DUPLICATE else None
    extra = None if duplicate else note
    async with services.uow_factory() as uow:
        case = await return_case(
            uow,
            services.clock,
            services.notifier,
            who,
            int(data["case_id"]),
            reason,
            extra,
            duplicate,
        )
        await finish(state, uow, who, case, event.bot, render, t, services, t("Returned."))
    text = render("worker/done.html.j2", case=case, done=t("Returned."))
    if isinstance(event, CallbackQuery):
        await event.answer(t("Returned."))
        event = event.message  # type: ignore[assignment]
    if isinstance(event, Message):
        await event.answer(text)


async def on_return_text(
    message: Message,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    await _return(message, message.text, state, services, render, t)


async def on_return_skip(
    query: CallbackQuery,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    await _return(query, None, state, services, render, t)


async def on_transfer_tap(
    query: CallbackQuery, state: FSMContext, uow_factory: UowFactory, render: Render, t: Translate
) -> None:
    case_id = CaseCallback.unpack(query.data or "").case_id
    async with uow_factory() as uow:
        targets = await transfer_options(uow, query.from_user.id, case_id)
    await begin(state, query, uow_factory, CaseAction.TRANSFER)
    await state.set_state(CaseNotes.choosing)
    rows = [
        [step_button(f"{x.name} · {x.unit_name}", "to", case_id, str(x.person_id))] for x in targets
    ]
    text = render("worker/ask_transfer_target.html.j2", found=bool(targets))
    await _prompt(query, state, text, [*rows, cancel_row(case_id, t)])


async def on_whistle_tap(
    query: CallbackQuery, state: FSMContext, uow_factory: UowFactory, render: Render, t: Translate
) -> None:
    case_id = CaseCallback.unpack(query.data or "").case_id
    async with uow_factory() as uow:
        departments = await whistle_options(uow, query.from_user.id, case_id)
    await begin(state, query, uow_factory, CaseAction.WHISTLE)
    await state.set_state(CaseNotes.choosing)
    rows = [[step_button(department_name(d, t), "dept", case_id, d)] for d in departments]
    text = render("worker/ask_department.html.j2", found=bool(departments))
    await _prompt(query, state, text, [*rows, cancel_row(case_id, t)])


async def on_chosen(
    query: CallbackQuery,
    callback_data: Step,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    who, cid, value = query.from_user.id, callback_data.case_id, callback_data.value
    async with services.uow_factory() as uow:
        if callback_data.step == "to":
            case = await transfer_case(
                uow, services.clock, services.notifier, services.tz, who, cid, _int(value)
            )
            done = t("Transferred.")
        else:
            case = await whistle_case(
                uow, services.clock, services.notifier, services.tz, who, cid, value
            )
            done = t("Whistled to %(department)s.", department=department_name(value, t))
        await finish(state, uow, who, case, query.bot, render, t, services, done)
    await query.answer(done)
    if isinstance(query.message, Message):
        await query.message.edit_text(render("worker/done.html.j2", case=case, done=done))


def _int(value: str) -> int:
    return int(value) if value.isdigit() else -1  # -1: nobody, refused by the use case


async def on_cancel(query: CallbackQuery, state: FSMContext, render: Render, t: Translate) -> None:
    if await state.get_state() in CaseNotes.__all_states_names__:
        await state.clear()
    await query.answer(t("Cancelled."))
    if isinstance(query.message, Message):
        await query.message.edit_text(render("worker/cancelled.html.j2"))


async def on_stale_step(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("This step is no longer active. Open the case again."), show_alert=True)


def build_router() -> Router:
    router = Router(name=__name__)
    case, step = CaseCallback.filter, StateFilter
    router.callback_query.register(on_return_tap, case(F.action == "reject"), NotAWish())
    router.callback_query.register(on_transfer_tap, case(F.action == "transfer"))
    router.callback_query.register(on_whistle_tap, case(F.action == "whistle"))
    router.callback_query.register(
        on_return_reason, step(CaseNotes.return_reason), Step.filter(F.step == "why"), CurrentCase()
    )
    router.message.register(
        on_return_text, step(CaseNotes.return_number, CaseNotes.return_note), TEXT
    )
    router.callback_query.register(
        on_return_skip, step(CaseNotes.return_note), Step.filter(F.step == "skip"), CurrentCase()
    )
    router.callback_query.register(
        on_chosen, step(CaseNotes.choosing), Step.filter(F.step.in_({"to", "dept"})), CurrentCase()
    )
    router.callback_query.register(on_cancel, Step.filter(F.step == "cancel"))
    router.callback_query.register(on_stale_step, Step.filter())
    return router
