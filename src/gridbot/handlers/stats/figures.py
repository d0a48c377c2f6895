"""/stats [period] [unit], and the taps on its period, drill-down and paging buttons."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from gridbot.domain.org import Category
from gridbot.handlers.common.callbacks import StatsCallback
from gridbot.handlers.common.messages import edit_or_answer
from gridbot.handlers.common.period_unit import period_and_unit
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.stats import keyboards as kb
from gridbot.services.context import Actor, Context
from gridbot.services.stats import StatsOf, UnitStats, unit_stats


def stats_request(actor: Actor | None, args: str | None) -> StatsOf:
    """``/stats [period] [unit]``, in either order: a word that is a unit's code is the
    unit, the other one the period (anything left over is read as the period, and
    refused with the forms it may take)."""
    period, unit = period_and_unit(actor, args)
    return StatsOf(actor, period, unit)


async def cmd_stats(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    stats = await unit_stats(stats_request(actor, command.args), ctx)
    text, keyboard = shown(stats, 0, ctx, actor, render, t, locale)
    await message.answer(text, reply_markup=keyboard)


async def on_stats(
    query: CallbackQuery,
    callback_data: StatsCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
) -> None:
    request = StatsOf(actor, callback_data.period, unit_id=callback_data.unit)
    stats = await unit_stats(request, ctx)
    await query.answer()
    text, keyboard = shown(stats, callback_data.page, ctx, actor, render, t, locale)
    await edit_or_answer(query, text, keyboard)


def shown(
    stats: UnitStats,
    page: int,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
    locale: str,
) -> tuple[str, InlineKeyboardMarkup]:
    pages = kb.pages_of(stats)
    page = min(max(page, 0), pages - 1)
    text = render(
        "stats/unit.html.j2",
        stats=stats,
        children=kb.page_of(stats, page),
        page=page,
        pages=pages,
        categories=categories_of(actor),
        tz=ctx.tz,
    )
    return text, kb.stats_keyboard(stats, page, pages, t, locale)


def categories_of(actor: Actor | None) -> dict[str, Category]:
    return {c.code: c for c in actor.org.categories} if actor is not None else {}
