"""/team: the grid's staff with their load and whether the bot reaches them, for its
leader and branch secretary (a leader of several grids picks one), or /team <grid code>."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, Message

from gridbot.handlers.common.callbacks import TeamCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render
from gridbot.handlers.staff import keyboards as kb
from gridbot.services.context import Actor, Context
from gridbot.services.team import TeamOf, team_board

TEMPLATE = "team/board.html.j2"


async def cmd_team(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    locale: str,
) -> None:
    code = (command.args or "").strip() or None
    board = await team_board(TeamOf(actor, code), ctx)
    keyboard = kb.grids(board.grids, locale) if board.grids else None
    await message.answer(render(TEMPLATE, board=board), reply_markup=keyboard)


async def on_grid(
    query: CallbackQuery,
    callback_data: TeamCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    board = await team_board(TeamOf(actor, callback_data.grid), ctx)
    await query.answer()
    await edit_or_answer(query, render(TEMPLATE, board=board))
