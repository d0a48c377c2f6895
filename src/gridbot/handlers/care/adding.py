"""Adding a care person, for the grid leader: name → category → interval → worker →
address (or Skip) → phone (or Skip) → added, with the card. Each tap and each text is
checked; nothing is stored before the last step."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.domain.care import MAX_ADDRESS, MAX_NAME, check_category, check_interval
from gridbot.domain.care import check_phone as phone_of
from gridbot.domain.errors import ValidationFailed
from gridbot.handlers.care import keyboards as kb
from gridbot.handlers.care.states import AddCare, NewCare
from gridbot.handlers.care.steps import checked_line, send, tapped_message
from gridbot.handlers.common import conversation
from gridbot.handlers.common.callbacks import CareListCallback, CareStepCallback, id_value
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate
from gridbot.services.care import AddCarePerson, CareTeamOf, add_care_person, care_team
from gridbot.services.context import Actor, Context


async def on_add(
    query: CallbackQuery,
    callback_data: CareListCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    team = await care_team(CareTeamOf(actor, grid_code=callback_data.grid), ctx)
    await query.answer()
    if not team.workers:
        await send(query, render("care/no_team.html.j2", grid=team.grid))
        return
    await conversation.begin(state, NewCare(team.grid.code), AddCare.name)
    text = render("care/ask_name.html.j2", grid=team.grid, limit=MAX_NAME)
    await send(query, text, kb.cancel_only(t))


async def on_name(
    message: Message, draft: NewCare, state: FSMContext, render: Render, t: Translate
) -> None:
    name = await checked_line(message, render, MAX_NAME)
    if name is None:
        return
    draft.name = name
    await conversation.advance(state, draft, AddCare.category)
    text = render("care/ask_category.html.j2", name=draft.name)
    await message.answer(text, reply_markup=kb.categories(t))


async def on_category(
    query: CallbackQuery,
    callback_data: CareStepCallback,
    draft: NewCare,
    state: FSMContext,
    render: Render,
    t: Translate,
) -> None:
    draft.category = check_category(callback_data.value).value
    await conversation.advance(state, draft, AddCare.interval)
    await query.answer()
    text = render("care/ask_interval.html.j2", name=draft.name)
    await edit_or_answer(query, text, kb.intervals(t))


async def on_interval(
    query: CallbackQuery,
    callback_data: CareStepCallback,
    draft: NewCare,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    draft.interval = check_interval(id_value(callback_data.value))
    team = await care_team(CareTeamOf(actor, grid_code=draft.grid), ctx)
    await conversation.advance(state, draft, AddCare.worker)
    await query.answer()
    text = render("care/ask_worker.html.j2", name=draft.name)
    await edit_or_answer(query, text, kb.workers(team.workers, t))


async def on_worker(
    query: CallbackQuery,
    callback_data: CareStepCallback,
    draft: NewCare,
    state: FSMContext,
    render: Render,
    t: Translate,
) -> None:
    draft.worker_id = id_value(callback_data.value)
    await conversation.advance(state, draft, AddCare.address)
    await query.answer()
    await edit_or_answer(query, render("care/ask_address.html.j2", limit=MAX_ADDRESS), kb.skip(t))


async def on_address(
    message: Message, draft: NewCare, state: FSMContext, render: Render, t: Translate
) -> None:
    address = await checked_line(message, render, MAX_ADDRESS)
    if address is None:
        return
    draft.address = address
    await conversation.advance(state, draft, AddCare.phone)
    await message.answer(render("care/ask_phone.html.j2", again=False), reply_markup=kb.skip(t))


async def on_skip_address(
    query: CallbackQuery, draft: NewCare, state: FSMContext, render: Render, t: Translate
) -> None:
    await conversation.advance(state, draft, AddCare.phone)
    await query.answer()
    await edit_or_answer(query, render("care/ask_phone.html.j2", again=False), kb.skip(t))


async def on_phone(
    message: Message,
    draft: NewCare,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    try:
        phone = phone_of(message.text)
    except ValidationFailed:
        await message.answer(render("care/ask_phone.html.j2", again=True), reply_markup=kb.skip(t))
        return
    await _add(message, draft, phone, state, ctx, actor, render, t)


async def on_skip_phone(
    query: CallbackQuery,
    draft: NewCare,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    await query.answer()
    await _add(tapped_message(query), draft, None, state, ctx, actor, render, t)


async def _add(
    message: Message | None,
    draft: NewCare,
    phone: str | None,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    """The last step: the person is added (or refused, and the conversation ends)."""
    await state.clear()
    command = AddCarePerson(
        actor,
        draft.grid,
        draft.name,
        draft.category,
        draft.interval,
        draft.worker_id,
        draft.address,
        phone,
    )
    card = await add_care_person(command, ctx)
    text = render("care/card.html.j2", card=card, tz=ctx.tz, done=t("Added to the care list."))
    if message is not None:
        await message.answer(text, reply_markup=kb.card(card, t))
