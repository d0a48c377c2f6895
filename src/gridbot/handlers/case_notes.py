"""Card actions that ask for something first: 进展 progress (a note or a photo) and 办结
resolve ("what was done", then photos: required when the category asks for evidence).

The first tap is checked (``check_action``) before anything is asked, so someone else's
case or a stale card is refused at once. The conversation (aiogram FSM) keeps the case id
and where the card is, to edit it when the action is done. Return, transfer and whistle are
in ``case_moves``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from gridbot.domain.case import Case
from gridbot.domain.case_cards import card_after, check_action
from gridbot.domain.cases import MAX_PHOTOS, check_text
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.ports import UnitOfWork
from gridbot.domain.workflow import add_progress, resolve_case
from gridbot.handlers.callbacks import CaseCallback, CaseStepCallback
from gridbot.handlers.types import Render, Services, Translate, UowFactory
from gridbot.handlers.worker_cards import refresh_card, step_button, step_keyboard

TEXT = F.text & ~F.text.startswith("/")


class CaseNotes(StatesGroup):
    progress = State()
    resolve_note = State()
    resolve_photos = State()
    return_reason = State()
    return_number = State()
    return_note = State()
    choosing = State()  # a transfer target or a department


class CurrentCase(Filter):
    """A step button of the case this conversation is about (not of an older prompt)."""

    async def __call__(
        self, query: CallbackQuery, callback_data: CaseStepCallback, state: FSMContext
    ) -> bool:
        return bool((await state.get_data()).get("case_id") == callback_data.case_id)


async def begin(
    state: FSMContext, query: CallbackQuery, uow_factory: UowFactory, action: CaseAction
) -> Case:
    """Check the first tap, then remember the case and its card for the next steps."""
    async with uow_factory() as uow:
        case = await check_action(uow, query.from_user.id, _case_id(query), action)
    card = query.message if isinstance(query.message, Message) else None
    await state.set_data(
        {
            "case_id": case.id,
            "card": [card.chat.id, card.message_id, bool(card.photo or card.caption)]
            if card
            else None,
            "photos": [],
        }
    )
    return case


def _case_id(query: CallbackQuery) -> int:
    return CaseCallback.unpack(query.data or "").case_id


async def finish(
    state: FSMContext,
    uow: UnitOfWork,
    who: int,
    case: Case,
    bot: Bot | None,
    render: Render,
    t: Translate,
    services: Services,
    done: str,
) -> None:
    """After the use case (in the same unit of work, before commit): refresh the card."""
    card = await card_after(uow, who, case)
    await uow.commit()
    where = (await state.get_data()).get("card")
    await drop_prompt(state, bot)
    await state.clear()
    if where:
        chat_id, message_id, caption = where
        await refresh_card(bot, chat_id, message_id, caption, render, t, card, services.tz, done)


async def ask(state: FSMContext, message: Message | None, text: str, rows: list[list[Any]]) -> None:
    """Ask the next question with its buttons; the previous question loses its buttons."""
    if message is None:
        return
    await drop_prompt(state, message.bot)
    sent = await message.answer(text, reply_markup=step_keyboard(rows))
    await state.update_data(prompt=[sent.chat.id, sent.message_id])


async def drop_prompt(state: FSMContext, bot: Bot | None) -> None:
    where = (await state.get_data()).get("prompt")
    if where and bot is not None:
        with contextlib.suppress(TelegramBadRequest):  # already edited, or gone
            await bot.edit_message_reply_markup(chat_id=where[0], message_id=where[1])


def cancel_row(case_id: int, t: Translate) -> list[Any]:
    return [step_button(t("Cancel"), "cancel", case_id)]


async def on_progress_tap(
    query: CallbackQuery, state: FSMContext, uow_factory: UowFactory, render: Render, t: Translate
) -> None:
    case = await begin(state, query, uow_factory, CaseAction.PROGRESS)
    await state.set_state(CaseNotes.progress)
    await query.answer()
    message = query.message if isinstance(query.message, Message) else None
    text = render("worker/ask_progress.html.j2", case=case)
    await ask(state, message, text, [cancel_row(_case_id(query), t)])


async def on_progress(
    message: Message,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    assert message.from_user is not None
    case_id = int((await state.get_data())["case_id"])
    photos = (message.photo[-1].file_id,) if message.photo else ()
    note = message.text or message.caption or (t("(photo)") if photos else "")
    who = message.from_user.id
    async with services.uow_factory() as uow:
        case = await add_progress(
            uow, services.clock, services.notifier, who, case_id, note, photos
        )
        await finish(state, uow, who, case, message.bot, render, t, services, t("Progress noted."))
    await message.answer(render("worker/done.html.j2", case=case, done=t("Progress noted.")))


async def on_resolve_tap(
    query: CallbackQuery, state: FSMContext, uow_factory: UowFactory, render: Render, t: Translate
) -> None:
    case = await begin(state, query, uow_factory, CaseAction.RESOLVE)
    await state.set_state(CaseNotes.resolve_note)
    await query.answer()
    message = query.message if isinstance(query.message, Message) else None
    text = render("worker/ask_resolution.html.j2", case=case)
    await ask(state, message, text, [cancel_row(_case_id(query), t)])


async def on_resolve_note(
    message: Message, state: FSMContext, render: Render, t: Translate
) -> None:
    note = check_text(message.text or message.caption)  # refused: the error handler says why
    data = await state.get_data()
    photos = [message.photo[-1].file_id] if message.photo else []
    await state.update_data(note=note, photos=photos)
    await state.set_state(CaseNotes.resolve_photos)
    await _ask_photos(state, message, render, t, int(data["case_id"]), len(photos))


async def _ask_photos(
    state: FSMContext, message: Message, render: Render, t: Translate, case_id: int, count: int
) -> None:
    rows = [[step_button(t("Done adding photos"), "done", case_id)], cancel_row(case_id, t)]
    text = render("worker/ask_evidence.html.j2", count=count, limit=MAX_PHOTOS)
    await ask(state, message, text, rows)


async def on_resolve_photo(
    message: Message, state: FSMContext, render: Render, t: Translate
) -> None:
    assert message.photo
    data = await state.get_data()
    photos = [*data.get("photos", []), message.photo[-1].file_id][:MAX_PHOTOS]
    await state.update_data(photos=photos)
    await _ask_photos(state, message, render, t, int(data["case_id"]), len(photos))


async def on_resolve_done(
    query: CallbackQuery,
    state: FSMContext,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    data, who = await state.get_data(), query.from_user.id
    async with services.uow_factory() as uow:
        case = await resolve_case(
            uow,
            services.clock,
            services.notifier,
            services.tz,
            who,
            int(data["case_id"]),
            data["note"],
            data["photos"],
        )
        await finish(state, uow, who, case, query.bot, render, t, services, t("Resolved."))
    await query.answer(t("Resolved."))
    if isinstance(query.message, Message):
        await query.message.edit_text(render("worker/done.html.j2", case=case, done=t("Resolved.")))


async def on_not_understood(message: Message, raw_state: str | None, render: Render) -> None:
    await message.answer(render("worker/not_understood.html.j2", state=raw_state or ""))


def build_router() -> Router:
    router = Router(name=__name__)
    case, step = CaseCallback.filter, StateFilter
    router.callback_query.register(on_progress_tap, case(F.action == "progress"))
    router.callback_query.register(on_resolve_tap, case(F.action == "resolve"))
    router.message.register(on_progress, step(CaseNotes.progress), TEXT)
    router.message.register(on_progress, step(CaseNotes.progress), F.photo)
    router.message.register(on_resolve_note, step(CaseNotes.resolve_note), TEXT)
    router.message.register(on_resolve_note, step(CaseNotes.resolve_note), F.photo & F.caption)
    router.message.register(on_resolve_photo, step(CaseNotes.resolve_photos), F.photo)
    router.callback_query.register(
        on_resolve_done,
        step(CaseNotes.resolve_photos),
        CaseStepCallback.filter(F.step == "done"),
        CurrentCase(),
    )
    not_command = ~F.text.startswith("/")
    router.message.register(
        on_not_understood,
        step(CaseNotes.progress, CaseNotes.resolve_note, CaseNotes.resolve_photos),
        not_command,
    )
    return router
