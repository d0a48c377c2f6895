"""Keyboards of the resident flows: report and wish drafts, /my and the case view.

Labels are translated with ``t``; callback data is typed (``handlers.callbacks``).
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from gridbot.domain.case import Case
from gridbot.domain.org import Category
from gridbot.handlers.callbacks import CaseCallback, DraftCallback, PageCallback
from gridbot.handlers.types import Translate

Rows = list[list[InlineKeyboardButton]]
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


def case_list(
    cases: Sequence[Case], page: int, pages: int, t: Translate
) -> InlineKeyboardMarkup | None:
    rows: Rows = [[_case_button(c.number, "timeline", c.id)] for c in cases if c.id is not None]
    paging: list[InlineKeyboardButton] = []
    if page > 0:
        data = PageCallback(what="my", page=page - 1).pack()
        paging.append(InlineKeyboardButton(text=t("« Newer"), callback_data=data))
    if page + 1 < pages:
        data = PageCallback(what="my", page=page + 1).pack()
        paging.append(InlineKeyboardButton(text=t("Older »"), callback_data=data))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def case_actions(
    case_id: int, can_add: bool, can_withdraw: bool, t: Translate
) -> InlineKeyboardMarkup:
    """Under a case's timeline: what its reporter may still do, and back to the list."""
    actions = []
    if can_add:
        actions.append(_case_button(t("Add information"), "add_info", case_id))
    if can_withdraw:
        actions.append(_case_button(t("Withdraw"), "withdraw", case_id))
    back = PageCallback(what="my", page=0).pack()
    rows: Rows = [actions] if actions else []
    rows.append([InlineKeyboardButton(text=t("My cases"), callback_data=back)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def withdraw_confirmation(case_id: int, t: Translate) -> InlineKeyboardMarkup:
    row = [
        _case_button(t("Yes, withdraw it"), "withdraw_ok", case_id),
        _case_button(t("Keep it"), "timeline", case_id),
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def add_info_prompt(case_id: int, t: Translate) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_case_button(t("Cancel"), "timeline", case_id)]])
