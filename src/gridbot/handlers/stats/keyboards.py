"""The buttons under /stats: the period (今天 / 本周 / 本月 / 本季度), one per child unit of
the page shown, paging, and back up to the unit above (offered only when the reader may
see it)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from gridbot.handlers.common.callbacks import StatsCallback
from gridbot.handlers.common.types import Translate
from gridbot.services.notices import N_
from gridbot.services.stats import ChildFigures, UnitStats

PAGE_SIZE = 8  # child units a page
PER_ROW = 2
PERIODS = (
    ("today", N_("Today")),
    ("week", N_("This week")),
    ("month", N_("This month")),
    ("quarter", N_("This quarter")),
)


def pages_of(stats: UnitStats) -> int:
    return max(1, -(-len(stats.children) // PAGE_SIZE))


def page_of(stats: UnitStats, page: int) -> tuple[ChildFigures, ...]:
    return stats.children[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]


def _button(label: str, period: str, unit_id: int | None, page: int = 0) -> InlineKeyboardButton:
    data = StatsCallback(period=period, unit=unit_id or 0, page=page).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


def stats_keyboard(
    stats: UnitStats, page: int, pages: int, t: Translate, locale: str
) -> InlineKeyboardMarkup:
    unit, label = stats.unit, stats.period.label
    periods = [_button(t(name), word, unit.id) for word, name in PERIODS]
    children = [_button(c.unit.name_in(locale), label, c.unit.id) for c in page_of(stats, page)]
    rows = [periods]
    rows += [children[i : i + PER_ROW] for i in range(0, len(children), PER_ROW)]
    paging = []
    if page > 0:
        paging.append(_button(t("« Previous"), label, unit.id, page - 1))
    if page + 1 < pages:
        paging.append(_button(t("Next »"), label, unit.id, page + 1))
    rows.append(paging)
    if stats.parent is not None:
        up = t("⬆ Back to %(unit)s", unit=stats.parent.name_in(locale))
        rows.append([_button(up, label, stats.parent.id)])
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])
