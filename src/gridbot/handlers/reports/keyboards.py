"""Keyboards of the report and wish drafts. Labels are translated with ``t``; callback data
is typed (``handlers.common.callbacks``)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from gridbot.domain.org import Category
from gridbot.handlers.common.callbacks import CaseCallback, DraftCallback
from gridbot.handlers.common.types import Translate

CATEGORIES_PER_ROW = 2


def _draft_button(label: str, action: str, draft: str, value: str = "") -> InlineKeyboardButton:
    data = DraftCallback(action=action, draft=draft, value=value).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


def _case_button(label: str, action: str, case_id: int) -> InlineKeyboardButton:
    data = CaseCallback(action=action, case_id=case_id).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


def category_name(category: Category, locale: str) -> str:
    return category.name_en if locale == "en" and category.name_en else category.name


def categories(
    draft: str, found: Sequence[Category], locale: str, t: Translate
) -> InlineKeyboardMarkup:
    buttons = [_draft_button(category_name(c, locale), "cat", draft, c.code) for c in found]
    rows = [buttons[i : i + CATEGORIES_PER_ROW] for i in range(0, len(buttons), CATEGORIES_PER_ROW)]
    rows.append([_draft_button(t("Cancel"), "cancel", draft)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def cancel_only(draft: str, t: Translate) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_draft_button(t("Cancel"), "cancel", draft)]])


def photos(draft: str, count: int, t: Translate) -> InlineKeyboardMarkup:
    first = (
        _draft_button(t("Done adding photos"), "done", draft)
        if count
        else _draft_button(t("Skip"), "skip", draft)
    )
    return InlineKeyboardMarkup(
        inline_keyboard=[[first, _draft_button(t("Cancel"), "cancel", draft)]]
    )


def location_request(t: Translate) -> ReplyKeyboardMarkup:
    """A reply keyboard: share the phone's location with one tap, or skip."""
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("Send my location"), request_location=True)],
            [KeyboardButton(text=t("Skip"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def public_choice(draft: str, t: Translate) -> InlineKeyboardMarkup:
    rows = [
        [_draft_button(t("Neighbours may see its progress in the group"), "pub", draft, "1")],
        [_draft_button(t("Private: only me and the grid team"), "pub", draft, "0")],
        [_draft_button(t("Cancel"), "cancel", draft)],
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def wanted_by(draft: str, t: Translate) -> InlineKeyboardMarkup:
    rows = [
        [
            _draft_button(t("Within a week"), "by", draft, "week"),
            _draft_button(t("Within a month"), "by", draft, "month"),
        ],
        [_draft_button(t("No date"), "by", draft, "none")],
        [_draft_button(t("Cancel"), "cancel", draft)],
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm(draft: str, t: Translate) -> InlineKeyboardMarkup:
    row = [_draft_button(t("Submit"), "submit", draft), _draft_button(t("Cancel"), "cancel", draft)]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def continue_in_private(url: str, t: Translate) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(text=t("Continue in private"), url=url)
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


def case_opened(case_id: int, t: Translate) -> InlineKeyboardMarkup:
    """Under the "submitted" answer: follow the new case."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[_case_button(t("Timeline"), "timeline", case_id)]]
    )
