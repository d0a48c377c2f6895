"""Keyboards of /patrol. Labels are translated with ``t``; callback data is PatrolCallback."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from gridbot.domain.org import Category
from gridbot.handlers.common.callbacks import PatrolCallback
from gridbot.handlers.common.types import Translate

CATEGORIES_PER_ROW = 2


def _button(label: str, action: str, value: str = "") -> InlineKeyboardButton:
    data = PatrolCallback(action=action, value=value).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


def desk(on_patrol: bool, t: Translate) -> InlineKeyboardMarkup:
    """开始巡查 Start, or 上报隐患 Report a hazard · 结束巡查 End while on patrol."""
    if not on_patrol:
        rows = [[_button(t("Start patrol"), "start")], [_button(t("Report a hazard"), "hazard")]]
    else:
        rows = [[_button(t("Report a hazard"), "hazard"), _button(t("End patrol"), "end")]]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def categories(found: Sequence[Category], locale: str, t: Translate) -> InlineKeyboardMarkup:
    names = [(c.name_en if locale == "en" and c.name_en else c.name, c.code) for c in found]
    buttons = [_button(name, "cat", code) for name, code in names]
    rows = [buttons[i : i + CATEGORIES_PER_ROW] for i in range(0, len(buttons), CATEGORIES_PER_ROW)]
    rows.append([_button(t("Cancel"), "cancel")])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def cancel_only(t: Translate) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_button(t("Cancel"), "cancel")]])


def photo(t: Translate, *, can_skip: bool = True) -> InlineKeyboardMarkup:
    first = [_button(t("Skip"), "skip")] if can_skip else []
    return InlineKeyboardMarkup(inline_keyboard=[[*first, _button(t("Cancel"), "cancel")]])


def fixed(t: Translate) -> InlineKeyboardMarkup:
    """现场整改 fixed on the spot, or left to be handled."""
    rows = [
        [_button(t("Fixed on the spot"), "fixed", "1")],
        [_button(t("Not fixed yet: handle it as a case"), "fixed", "0")],
        [_button(t("Cancel"), "cancel")],
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)
