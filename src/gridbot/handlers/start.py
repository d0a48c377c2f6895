"""/start in the private chat: who gridbot is and what this person can do now, with a button
into the grid picker (find one's grid, or move to another one) for residents and strangers.

Payloads have their own routers, included before this one: ``j_`` and ``inv_`` (join.py),
``c_`` and ``r_`` (the case flows), ``b_`` in groups (groups.py). A payload nobody knows gets
a clear answer here and changes nothing.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.domain.errors import UnknownLink
from gridbot.domain.gridpicker import ROOT
from gridbot.handlers.common.callbacks import UnitPickCallback
from gridbot.handlers.common.types import Render, Translate
from gridbot.services.context import Actor, Context
from gridbot.services.membership import PersonView, RefreshMenu, describe_person, refresh_menu


def start_keyboard(view: PersonView, t: Translate) -> InlineKeyboardMarkup | None:
    """The grid picker is the resident's way in; staff hold their units by role, so their
    /start offers none (a worker moving their own home asks the administrator)."""
    if view.is_staff:
        return None
    label = t("Move to another grid") if view.is_bound else t("Find my grid")
    data = UnitPickCallback(code=ROOT).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=label, callback_data=data)]]
    )


async def cmd_start(
    message: Message, ctx: Context, actor: Actor | None, render: Render, t: Translate
) -> None:
    assert message.from_user is not None
    await refresh_menu(RefreshMenu(actor), ctx)
    view = describe_person(message.from_user.id, actor)
    text = render("start.html.j2", view=view, first_name=message.from_user.first_name)
    await message.answer(text, reply_markup=start_keyboard(view, t))


async def cmd_start_unknown_payload(message: Message, command: CommandObject) -> None:
    raise UnknownLink("unknown /start payload", payload=(command.args or "")[:64])


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.type == ChatType.PRIVATE, F.from_user)
    router.message.register(cmd_start, CommandStart(deep_link=False))
    router.message.register(cmd_start_unknown_payload, CommandStart(deep_link=True))
    return router
