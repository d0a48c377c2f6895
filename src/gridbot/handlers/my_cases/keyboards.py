"""Keyboards of /my and the case view. Labels are translated with ``t``; callback data is
typed (``handlers.common.callbacks``)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from gridbot.domain.case import Case
from gridbot.handlers.common.callbacks import CaseCallback, PageCallback
from gridbot.handlers.common.types import Translate

Rows = list[list[InlineKeyboardButton]]


def _case_button(label: str, action: str, case_id: int) -> InlineKeyboardButton:
    data = CaseCallback(action=action, case_id=case_id).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


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
    case_id: int, can_add: bool, can_withdraw: bool, t: Translate, *, can_rate: bool = False
) -> InlineKeyboardMarkup:
    """Under a case's timeline: what its reporter may still do (rate it, while it waits
    for a rating, as the rating request does), and back to the list."""
    rows: Rows = []
    if can_rate:
        rows.append(
            [
                _case_button(t("Satisfied"), "rate_satisfied", case_id),
                _case_button(t("Basically satisfied"), "rate_basic", case_id),
            ]
        )
        rows.append([_case_button(t("Unsatisfied"), "rate_unsatisfied", case_id)])
    actions = []
    if can_add:
        actions.append(_case_button(t("Add information"), "add_info", case_id))
    if can_withdraw:
        actions.append(_case_button(t("Withdraw"), "withdraw", case_id))
    back = PageCallback(what="my", page=0).pack()
    if actions:
        rows.append(actions)
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
