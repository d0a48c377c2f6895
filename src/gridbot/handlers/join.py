"""Joining in the private chat: ``/start j_<token>`` (a grid's or building's link),
``/start inv_<code>`` (a staff invite), and the grid picker (street → community → grid)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.domain.gridpicker import PickerStep
from gridbot.handlers.common.answers import telegram_user
from gridbot.handlers.common.callbacks import JoinGridCallback, UnitPickCallback
from gridbot.handlers.common.types import Render, Translate
from gridbot.services.context import Actor, Context
from gridbot.services.membership import (
    AcceptInvite,
    JoinUnit,
    MoveToGrid,
    PickGrid,
    accept_invite,
    join_unit,
    move_to_grid,
    pick_step,
)

JOIN_PREFIX, INVITE_PREFIX = "j_", "inv_"


def picker_keyboard(step: PickerStep, t: Translate, locale: str) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=u.name_in(locale), callback_data=UnitPickCallback(code=u.code).pack()
            )
        ]
        for u in step.options
    ]
    if step.grid is not None:
        label = t("Move to this grid") if step.current is not None else t("Join this grid")
        data = JoinGridCallback(code=step.grid.code).pack()
        rows.append([InlineKeyboardButton(text=label, callback_data=data)])
    if step.back is not None:
        data = UnitPickCallback(code=step.back).pack()
        rows.append([InlineKeyboardButton(text=t("« Back"), callback_data=data)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def cmd_join(
    message: Message,
    command: CommandObject,
    ctx: Context,
    locale: str,
    render: Render,
) -> None:
    assert message.from_user is not None and command.args is not None
    user = telegram_user(message.from_user, locale)
    joined = await join_unit(JoinUnit(user, command.args[len(JOIN_PREFIX) :]), ctx)
    await message.answer(render("join/joined.html.j2", membership=joined))


async def cmd_accept_invite(
    message: Message,
    command: CommandObject,
    ctx: Context,
    locale: str,
    render: Render,
) -> None:
    assert message.from_user is not None and command.args is not None
    user = telegram_user(message.from_user, locale)
    invitation = await accept_invite(AcceptInvite(user, command.args[len(INVITE_PREFIX) :]), ctx)
    await message.answer(render("join/invited.html.j2", invitation=invitation))


async def on_pick(
    query: CallbackQuery,
    callback_data: UnitPickCallback,
    ctx: Context,
    actor: Actor | None,
    t: Translate,
    locale: str,
    render: Render,
) -> None:
    step = await pick_step(PickGrid(actor, callback_data.code), ctx)
    if isinstance(query.message, Message):
        text = render("join/picker.html.j2", step=step)
        await query.message.edit_text(text, reply_markup=picker_keyboard(step, t, locale))
    await query.answer()


async def on_join_grid(
    query: CallbackQuery,
    callback_data: JoinGridCallback,
    ctx: Context,
    locale: str,
    render: Render,
) -> None:
    user = telegram_user(query.from_user, locale)
    joined = await move_to_grid(MoveToGrid(user, callback_data.code), ctx)
    if isinstance(query.message, Message):
        await query.message.edit_text(render("join/joined.html.j2", membership=joined))
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.type == ChatType.PRIVATE, F.from_user)
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    join_link = CommandStart(deep_link=True, magic=F.args.startswith(JOIN_PREFIX))
    invite = CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX))
    router.message.register(cmd_join, join_link)
    router.message.register(cmd_accept_invite, invite)
    router.callback_query.register(on_pick, UnitPickCallback.filter())
    router.callback_query.register(on_join_grid, JoinGridCallback.filter())
    return router
