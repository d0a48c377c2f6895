"""/care: the care persons of the grid one leads (or of a grid of one's unit, /care <code>),
or those one visits; a page at a time, a card per person."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, Message

from gridbot.handlers.care import keyboards as kb
from gridbot.handlers.common.callbacks import CareCallback, CareListCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate
from gridbot.services.care import CareBoardOf, OpenCarePerson, care_board, care_card
from gridbot.services.context import Actor, Context


async def cmd_care(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    code = (command.args or "").strip() or None
    board = await care_board(CareBoardOf(actor, code), ctx)
    text = render("care/board.html.j2", board=board, tz=ctx.tz)
    await message.answer(text, reply_markup=kb.board(board, t, locale))


async def on_list(
    query: CallbackQuery,
    callback_data: CareListCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    grid = callback_data.grid or None
    board = await care_board(CareBoardOf(actor, grid, callback_data.page), ctx)
    await query.answer()
    text = render("care/board.html.j2", board=board, tz=ctx.tz)
    await edit_or_answer(query, text, kb.board(board, t, locale))


async def on_open(
    query: CallbackQuery,
    callback_data: CareCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    card = await care_card(OpenCarePerson(actor, callback_data.care_id), ctx)
    await query.answer()
    await edit_or_answer(query, render("care/card.html.j2", card=card, tz=ctx.tz), kb.card(card, t))
