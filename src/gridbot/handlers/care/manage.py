"""The grid leader on a care person's card: 更换网格员 another worker, 调整周期 another visit
interval, 移除 off the list (after a confirmation). Each ends with the card as it now is."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery

from gridbot.handlers.care import keyboards as kb
from gridbot.handlers.care.states import CareChange, ChangeCare
from gridbot.handlers.common import conversation
from gridbot.handlers.common.callbacks import CareCallback, CareStepCallback, id_value
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate
from gridbot.services.care import (
    CareCard,
    CareTeam,
    CareTeamOf,
    ChangeInterval,
    ReassignCare,
    RemoveCarePerson,
    care_team,
    change_interval,
    reassign_care,
    remove_care_person,
)
from gridbot.services.context import Actor, Context


async def on_change_worker(
    query: CallbackQuery,
    callback_data: CareCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    team = await _ask_change(query, callback_data.care_id, ChangeCare.worker, state, ctx, actor)
    text = render("care/ask_worker.html.j2", name=_name(team))
    await edit_or_answer(query, text, kb.workers(team.workers, t))


async def on_change_interval(
    query: CallbackQuery,
    callback_data: CareCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    team = await _ask_change(query, callback_data.care_id, ChangeCare.interval, state, ctx, actor)
    text = render("care/ask_interval.html.j2", name=_name(team))
    await edit_or_answer(query, text, kb.intervals(t))


async def _ask_change(
    query: CallbackQuery,
    care_id: int,
    step: State,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
) -> CareTeam:
    """Before asking for a new worker or interval: may this person manage the care person
    (refused here, before anything is asked)? Then the conversation begins."""
    team = await care_team(CareTeamOf(actor, care_id=care_id), ctx)
    await conversation.begin(state, CareChange(care_id), step)
    await query.answer()
    return team


def _name(team: CareTeam) -> str:
    return team.person.name if team.person else ""


async def on_worker_chosen(
    query: CallbackQuery,
    callback_data: CareStepCallback,
    draft: CareChange,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    await state.clear()
    worker_id = id_value(callback_data.value)
    card = await reassign_care(ReassignCare(actor, draft.care_id, worker_id), ctx)
    await _show(query, card, t("The worker is changed."), ctx, render, t)


async def on_interval_chosen(
    query: CallbackQuery,
    callback_data: CareStepCallback,
    draft: CareChange,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    await state.clear()
    days = id_value(callback_data.value)
    card = await change_interval(ChangeInterval(actor, draft.care_id, days), ctx)
    await _show(query, card, t("The interval is changed."), ctx, render, t)


async def on_remove(
    query: CallbackQuery,
    callback_data: CareCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    team = await care_team(CareTeamOf(actor, care_id=callback_data.care_id), ctx)
    await query.answer()
    text = render("care/confirm_remove.html.j2", name=_name(team))
    await edit_or_answer(query, text, kb.confirm_remove(callback_data.care_id, t))


async def on_removed(
    query: CallbackQuery,
    callback_data: CareCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    person = await remove_care_person(RemoveCarePerson(actor, callback_data.care_id), ctx)
    await query.answer(t("Removed"))
    await edit_or_answer(query, render("care/removed.html.j2", name=person.name))


async def _show(
    query: CallbackQuery, card: CareCard, done: str, ctx: Context, render: Render, t: Translate
) -> None:
    await query.answer(done)
    text = render("care/card.html.j2", card=card, tz=ctx.tz, done=done)
    await edit_or_answer(query, text, kb.card(card, t))
