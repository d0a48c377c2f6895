"""/invite: an administrator chooses a role, then a unit of theirs by tapping down the tree
(or sends ``/invite <role> <unit code>``), and gets a single-use link that expires. Every
tap is a request: the use case checks the administrator may invite onto that unit."""

from __future__ import annotations

from aiogram import Bot
from aiogram.filters import CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.domain.invitepicker import ROOT
from gridbot.handlers.common import conversation
from gridbot.handlers.common.callbacks import InviteCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.staff import keyboards as kb
from gridbot.handlers.staff.states import InviteDraft, InviteFlow
from gridbot.services.context import Actor, Context
from gridbot.services.membership import (
    CreateInvite,
    InviteMade,
    PickInviteUnit,
    StartInvite,
    create_invite,
    invite_roles,
    pick_invite_unit,
)

INVITE_PREFIX = "inv_"


async def link_text(made: InviteMade, bot: Bot, ctx: Context, render: Render) -> str:
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={INVITE_PREFIX}{made.invite.code}"
    return render("invite/made.html.j2", made=made, link=link, tz=ctx.tz)


async def cmd_invite(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    args = (command.args or "").split()
    if len(args) == 2:
        made = await create_invite(CreateInvite(actor, *args), ctx)
        await message.answer(await link_text(made, bot, ctx, render))
        return
    offered = await invite_roles(StartInvite(actor), ctx)
    if args:
        await message.answer(render("invite/usage.html.j2", roles=offered))
        return
    await conversation.begin(state, InviteDraft(), InviteFlow.role)
    await message.answer(render("invite/ask_role.html.j2"), reply_markup=kb.roles(offered, t))


async def on_role(
    query: CallbackQuery,
    callback_data: InviteCallback,
    draft: InviteDraft,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    step = await pick_invite_unit(PickInviteUnit(actor, callback_data.value, ROOT), ctx)
    draft.role = callback_data.value
    await conversation.advance(state, draft, InviteFlow.unit)
    await query.answer()
    text = render("invite/ask_unit.html.j2", role=draft.role, step=step)
    await edit_or_answer(query, text, kb.units(step, t, locale))


async def on_open(
    query: CallbackQuery,
    callback_data: InviteCallback,
    draft: InviteDraft,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    step = await pick_invite_unit(PickInviteUnit(actor, draft.role, callback_data.value), ctx)
    await query.answer()
    text = render("invite/ask_unit.html.j2", role=draft.role, step=step)
    await edit_or_answer(query, text, kb.units(step, t, locale))


async def on_unit(
    query: CallbackQuery,
    callback_data: InviteCallback,
    draft: InviteDraft,
    state: FSMContext,
    bot: Bot,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    made = await create_invite(CreateInvite(actor, draft.role, callback_data.value), ctx)
    await state.clear()
    await query.answer()
    await edit_or_answer(query, await link_text(made, bot, ctx, render))


async def on_cancel(query: CallbackQuery, state: FSMContext, render: Render) -> None:
    await state.clear()
    await query.answer()
    await edit_or_answer(query, render("invite/cancelled.html.j2"))


async def on_stale(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("This button is no longer active."), show_alert=True)


async def use_buttons(message: Message, render: Render) -> None:
    await message.answer(render("invite/use_buttons.html.j2"))
