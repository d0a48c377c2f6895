"""Following one's cases: /my (paged), a case's timeline (also ``/start c_<number>``), adding
information, withdrawing with a confirmation."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from gridbot.domain.errors import IllegalTransition, ValidationFailed
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.texts import public_summary
from gridbot.handlers.common import conversation
from gridbot.handlers.common.answers import INVALID_TEXT, text_problem
from gridbot.handlers.common.callbacks import CaseCallback, PageCallback
from gridbot.handlers.common.private import answer_privately, own_chat_message
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.my_cases import keyboards as kb
from gridbot.services.cases import (
    AddInfo,
    CheckOwnCase,
    MyCases,
    ViewCase,
    Withdraw,
    add_info,
    case_view,
    check_own_case,
    my_cases,
    withdraw,
)
from gridbot.services.context import Actor, Context

PAGE_SIZE = 8


class CaseFlow(StatesGroup):
    """Adding information to one of the person's open cases."""

    add_info = State()


@dataclass
class AddingInfo:
    """The conversation of adding information: which case it goes to."""

    case_id: int


async def cmd_my(
    message: Message, ctx: Context, actor: Actor | None, render: Render, t: Translate
) -> None:
    text, keyboard = await case_page(actor, 0, ctx, render, t)
    await message.answer(text, reply_markup=keyboard)


async def on_page(
    query: CallbackQuery,
    callback_data: PageCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    text, keyboard = await case_page(actor, callback_data.page, ctx, render, t)
    await answer_privately(query, t, text, keyboard, edit=True)


async def case_page(
    actor: Actor | None, page: int, ctx: Context, render: Render, t: Translate
) -> tuple[str, InlineKeyboardMarkup | None]:
    found = await my_cases(MyCases(actor), ctx)
    pages = max(1, -(-len(found.cases) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = found.cases[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    text = render(
        "my/list.html.j2", cases=shown, categories=found.categories, page=page, pages=pages
    )
    return text, kb.case_list(shown, page, pages, t)


async def on_timeline(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    await answer_case(query, callback_data.case_id, ctx, actor, render, t)
    if await state.get_state() == CaseFlow.add_info.state:
        await state.clear()


async def cmd_open_case(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    assert command.args is not None
    await answer_case(message, command.args.removeprefix("c_"), ctx, actor, render, t)


async def answer_case(
    event: Message | CallbackQuery,
    case_ref: int | str,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    text, keyboard = await case_card(actor, case_ref, ctx, render, t)
    if isinstance(event, CallbackQuery):
        # Tapped in a group (or forged so): the case goes to the tapper's private chat only.
        await answer_privately(event, t, text, keyboard)
        return
    await event.answer(text, reply_markup=keyboard)


async def case_card(
    actor: Actor | None, case_ref: int | str, ctx: Context, render: Render, t: Translate
) -> tuple[str, InlineKeyboardMarkup]:
    """A case's card as it is now, with only the buttons that apply to it now."""
    view = await case_view(ViewCase(actor, case_ref), ctx)
    assert view.case.id is not None
    can_add = view.is_reporter and CaseAction.ADD_INFO in view.actions
    can_withdraw = view.is_reporter and CaseAction.CANCEL in view.actions
    can_rate = view.is_reporter and CaseAction.RATE_SATISFIED in view.actions
    keyboard = kb.case_actions(view.case.id, can_add, can_withdraw, t, can_rate=can_rate)
    summary = public_summary(view.case.text)
    return render("my/case.html.j2", view=view, tz=ctx.tz, summary=summary), keyboard


async def check_before_asking(
    query: CallbackQuery,
    check: CheckOwnCase,
    ctx: Context,
    render: Render,
    t: Translate,
) -> None:
    """Refuse at the tap what the case no longer allows (it moved on since its card was
    sent), before any "are you sure?"; the tapped card turns into the case as it is now,
    without the buttons that no longer apply, and the error handler says what happened."""
    try:
        await check_own_case(check, ctx)
    except IllegalTransition:
        message = own_chat_message(query)
        if message is not None:
            text, keyboard = await case_card(check.actor, check.case_id, ctx, render, t)
            with suppress(TelegramBadRequest):  # a card that is not text, or unchanged
                await message.edit_text(text, reply_markup=keyboard)
        raise


async def on_add_info(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    # Checked before asking: someone else's (or a closed) case is refused at the tap.
    check = CheckOwnCase(actor, callback_data.case_id, CaseAction.ADD_INFO)
    await check_before_asking(query, check, ctx, render, t)
    await conversation.begin(state, AddingInfo(callback_data.case_id), CaseFlow.add_info)
    await query.answer()
    if isinstance(query.message, Message):
        text = render("my/ask_info.html.j2")
        await query.message.answer(text, reply_markup=kb.add_info_prompt(callback_data.case_id, t))


async def on_info(
    message: Message,
    draft: AddingInfo,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    photos = (message.photo[-1].file_id,) if message.photo else ()
    note = message.text or message.caption or ""
    try:
        case = await add_info(AddInfo(actor, draft.case_id, note, photos), ctx)
    except ValidationFailed as refused:
        await message.answer(render(INVALID_TEXT, **text_problem(refused)))
        return
    await state.clear()
    await message.answer(render("my/info_added.html.j2", case=case))


async def on_not_info(message: Message, render: Render) -> None:
    await message.answer(render("my/ask_info.html.j2"))


async def on_withdraw(
    query: CallbackQuery,
    callback_data: CaseCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    # Checked before "are you sure?": someone else's (or a closed) case is refused now.
    check = CheckOwnCase(actor, callback_data.case_id, CaseAction.CANCEL)
    await check_before_asking(query, check, ctx, render, t)
    await query.answer()
    if isinstance(query.message, Message):
        text = render("my/confirm_withdraw.html.j2")
        await query.message.answer(
            text, reply_markup=kb.withdraw_confirmation(callback_data.case_id, t)
        )


async def on_withdraw_confirmed(
    query: CallbackQuery,
    callback_data: CaseCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    try:
        case = await withdraw(Withdraw(actor, callback_data.case_id), ctx)
    except IllegalTransition:
        # The case moved on while "are you sure?" waited: its buttons go, the error says why.
        message = own_chat_message(query)
        if message is not None:
            with suppress(TelegramBadRequest):
                await message.edit_reply_markup(reply_markup=None)
        raise
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(render("my/withdrawn.html.j2", case=case))
