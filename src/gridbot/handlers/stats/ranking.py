"""/rank [period] [unit]: the grids under a supervisor's unit ranked by the composite score
(a community's workers a tap away), and the taps on its period, view and paging buttons."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.handlers.common.callbacks import RankCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.stats.figures import stats_request
from gridbot.handlers.stats.keyboards import PERIODS
from gridbot.services.context import Actor, Context
from gridbot.services.stats import Ranking, RankOf, RankView, rank_units

TEMPLATE = "stats/ranking.html.j2"


async def cmd_rank(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    asked = stats_request(actor, command.args)  # /stats' own reading of [period] [unit]
    ranking = await rank_units(RankOf(actor, asked.period, asked.unit_code), ctx)
    await message.answer(_text(ranking, ctx, render), reply_markup=keyboard(ranking, t))


async def on_rank(
    query: CallbackQuery,
    callback_data: RankCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    data = callback_data
    asked = RankOf(actor, data.period, unit_id=data.unit, view=data.view, page=data.page)
    ranking = await rank_units(asked, ctx)
    await query.answer()
    await edit_or_answer(query, _text(ranking, ctx, render), keyboard(ranking, t))


def _text(ranking: Ranking, ctx: Context, render: Render) -> str:
    return render(TEMPLATE, ranking=ranking, tz=ctx.tz)


def _button(
    label: str,
    ranking: Ranking,
    *,
    view: str | None = None,
    period: str | None = None,
    page: int = 0,
) -> InlineKeyboardButton:
    data = RankCallback(
        view=view or ranking.view.value,
        period=period or ranking.period.label,
        unit=ranking.unit.id or 0,
        page=page,
    )
    return InlineKeyboardButton(text=label, callback_data=data.pack())


def keyboard(ranking: Ranking, t: Translate) -> InlineKeyboardMarkup:
    """The periods; grids or workers (a community's); the pages."""
    rows = [[_button(t(name), ranking, period=word) for word, name in PERIODS]]
    if ranking.has_workers:
        if ranking.view == RankView.GRIDS:
            rows.append([_button(t("👥 Rank the workers"), ranking, view=RankView.WORKERS)])
        else:
            rows.append([_button(t("🏘 Rank the grids"), ranking, view=RankView.GRIDS)])
    paging = []
    if ranking.page > 0:
        paging.append(_button(t("« Previous"), ranking, page=ranking.page - 1))
    if ranking.page + 1 < ranking.pages:
        paging.append(_button(t("Next »"), ranking, page=ranking.page + 1))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(inline_keyboard=rows)
