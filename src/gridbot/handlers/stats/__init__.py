"""/stats in the private chat: a supervisor's figures of their unit (or a unit under it)
over a period, with buttons to switch the period and to drill down into a child unit or
back up. Every tap is a request: the use case checks again that the reader may see that
unit, before anything is computed. /rank (grids, a community's workers) and /grid <code>
(one grid's card) live here too, private chats only: they name staff."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command

from gridbot.handlers.common.callbacks import GridCardCallback, RankCallback, StatsCallback
from gridbot.handlers.stats import figures, grid_card, ranking

PRIVATE = F.chat.type == ChatType.PRIVATE


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(figures.cmd_stats, PRIVATE, Command("stats"), F.from_user)
    router.callback_query.register(
        figures.on_stats,
        StatsCallback.filter(),
        F.message.chat.type == ChatType.PRIVATE,
    )
    router.message.register(ranking.cmd_rank, PRIVATE, Command("rank"), F.from_user)
    router.callback_query.register(
        ranking.on_rank, RankCallback.filter(), F.message.chat.type == ChatType.PRIVATE
    )
    router.message.register(grid_card.cmd_grid, PRIVATE, Command("grid"), F.from_user)
    router.callback_query.register(
        grid_card.on_grid_card, GridCardCallback.filter(), F.message.chat.type == ChatType.PRIVATE
    )
    return router
