"""/grid <code> [period]: one grid's card (team, open cases, rates against the previous
period), its period buttons; without a code, how to ask."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.handlers.common.callbacks import GridCardCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.stats.figures import categories_of
from gridbot.handlers.stats.keyboards import PERIODS
from gridbot.services.context import Actor, Context
from gridbot.services.stats import GridCard, GridCardOf, GridUsage, grid_card

CARD = "stats/grid_card.html.j2"
USAGE = "stats/grid_usage.html.j2"


def card_request(actor: Actor | None, args: str | None) -> GridCardOf:
    """``/grid <code> [period]``: the first word is the grid's code, the rest the period."""
    code, _, period = (args or "").strip().partition(" ")
    return GridCardOf(actor, code or None, period.strip() or None)


async def cmd_grid(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    shown = await grid_card(card_request(actor, command.args), ctx)
    text, keyboard = _shown(shown, ctx, actor, render, t)
    await message.answer(text, reply_markup=keyboard)


async def on_grid_card(
    query: CallbackQuery,
    callback_data: GridCardCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    asked = GridCardOf(actor, period=callback_data.period, grid_id=callback_data.grid)
    shown = await grid_card(asked, ctx)
    await query.answer()
    await edit_or_answer(query, *_shown(shown, ctx, actor, render, t))


def _shown(
    shown: GridCard | GridUsage, ctx: Context, actor: Actor | None, render: Render, t: Translate
) -> tuple[str, InlineKeyboardMarkup | None]:
    if isinstance(shown, GridUsage):
        return render(USAGE, usage=shown), None
    text = render(CARD, card=shown, categories=categories_of(actor), tz=ctx.tz)
    return text, keyboard(shown, t)


def keyboard(card: GridCard, t: Translate) -> InlineKeyboardMarkup:
    """The periods, for the same grid."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t(name),
                    callback_data=GridCardCallback(grid=card.grid.id or 0, period=word).pack(),
                )
                for word, name in PERIODS
            ]
        ]
    )
