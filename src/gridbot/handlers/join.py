"""Joining in the private chat: ``/start j_<token>`` (a grid's or building's link),
``/start inv_<code>`` (a staff invite), and the grid picker (street → community → grid)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, User

from gridbot.domain.gridpicker import PickerStep, pick_step
from gridbot.domain.membership import (
    MenuPublisher,
    TelegramUser,
    accept_invite,
    join_unit,
    move_to_grid,
)
from gridbot.domain.ports import Clock
from gridbot.handlers.callbacks import JoinGridCallback, UnitPickCallback
from gridbot.handlers.types import Render, Translate, UowFactory

JOIN_PREFIX, INVITE_PREFIX = "j_", "inv_"


def telegram_user(user: User, locale: str) -> TelegramUser:
    return TelegramUser(user.id, user.first_name, user.last_name, locale)


def picker_keyboard(step: PickerStep, t: Translate) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(text=u.name, callback_data=UnitPickCallback(code=u.code).pack())]
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
    uow_factory: UowFactory,
    clock: Clock,
    menus: MenuPublisher,
    locale: str,
    render: Render,
) -> None:
    assert message.from_user is not None and command.args is not None
    user = telegram_user(message.from_user, locale)
    async with uow_factory() as uow:
        joined = await join_unit(uow, clock, menus, user, command.args[len(JOIN_PREFIX) :])
        await uow.commit()
    await message.answer(render("join/joined.html.j2", membership=joined))


async def cmd_accept_invite(
    message: Message,
    command: CommandObject,
    uow_factory: UowFactory,
    clock: Clock,
    menus: MenuPublisher,
    locale: str,
    render: Render,
) -> None:
    assert message.from_user is not None and command.args is not None
    user = telegram_user(message.from_user, locale)
    async with uow_factory() as uow:
        invitation = await accept_invite(
            uow, clock, menus, user, command.args[len(INVITE_PREFIX) :]
        )
        await uow.commit()
    await message.answer(render("join/invited.html.j2", invitation=invitation))


async def on_pick(
    query: CallbackQuery,
    callback_data: UnitPickCallback,
    uow_factory: UowFactory,
    t: Translate,
    render: Render,
) -> None:
    async with uow_factory() as uow:
        step = await pick_step(uow, query.from_user.id, callback_data.code)
    if isinstance(query.message, Message):
        text = render("join/picker.html.j2", step=step)
        await query.message.edit_text(text, reply_markup=picker_keyboard(step, t))
    await query.answer()


async def on_join_grid(
    query: CallbackQuery,
    callback_data: JoinGridCallback,
    uow_factory: UowFactory,
    clock: Clock,
    menus: MenuPublisher,
    locale: str,
    render: Render,
) -> None:
    user = telegram_user(query.from_user, locale)
    async with uow_factory() as uow:
        joined = await move_to_grid(uow, clock, menus, user, callback_data.code)
        await uow.commit()
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
