"""The case card of those who handle a case: its text, its buttons, and editing it in place.

The buttons are the card's ``actions`` (lifecycle ∩ policy, computed by the service layer);
a tap is checked again on the server by the use case it calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from aiogram import Bot
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.texts import public_summary
from gridbot.handlers.common.callbacks import CaseCallback, CaseStepCallback
from gridbot.handlers.common.messages import edit_message
from gridbot.handlers.common.types import Render, Translate
from gridbot.services.cases import CaseView
from gridbot.services.notices import N_
from gridbot.services.notices.html_limits import CAPTION_LIMIT, TEXT_LIMIT, fit_html
from gridbot.services.workflow import CaseCard

A = CaseAction

# The card's buttons, in the order shown: (label, callback action).
BUTTONS: dict[CaseAction, tuple[str, str]] = {
    A.ACCEPT: (N_("Accept"), "accept"),
    A.REPORT_FOR_DUTY: (N_("Report for duty"), "accept"),
    A.TRANSFER: (N_("Transfer"), "transfer"),
    A.ESCALATE: (N_("Escalate"), "escalate"),
    A.WHISTLE: (N_("Whistle"), "whistle"),
    A.REJECT: (N_("Return"), "reject"),
    A.PROGRESS: (N_("Progress"), "progress"),
    A.RESOLVE: (N_("Resolve"), "resolve"),
    A.URGE: (N_("Urge"), "urge"),
}
PER_ROW = 3
DEPARTMENT_NAMES = {
    "police": N_("Police"),
    "fire": N_("Fire brigade"),
    "urban_management": N_("Urban management"),
}


def department_name(code: str, t: Translate) -> str:
    return t(DEPARTMENT_NAMES[code]) if code in DEPARTMENT_NAMES else code


def card_keyboard(card: CaseCard, t: Translate) -> InlineKeyboardMarkup | None:
    assert card.case.id is not None
    # On a department's case 接单 is 报到: one button, not two doing the same.
    hidden = {A.ACCEPT} if A.REPORT_FOR_DUTY in card.actions else set()
    buttons = [
        InlineKeyboardButton(
            text=t(label), callback_data=CaseCallback(action=action, case_id=card.case.id).pack()
        )
        for case_action, (label, action) in BUTTONS.items()
        if case_action in card.actions and case_action not in hidden
    ]
    rows = [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def step_button(label: str, step: str, case_id: int, value: str = "") -> InlineKeyboardButton:
    data = CaseStepCallback(step=step, case_id=case_id, value=value).pack()
    return InlineKeyboardButton(text=label, callback_data=data)


def step_keyboard(rows: Sequence[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(row) for row in rows if row])


def card_text(
    render: Render, card: CaseCard, tz: tzinfo, view: CaseView | None = None, done: str = ""
) -> str:
    """The card; with ``view`` its timeline too; ``done`` names what was just done."""
    return render(
        "worker/card.html.j2",
        card=card,
        tz=tz,
        view=view,
        done=done,
        summary=public_summary(card.case.text),
    )


async def send_card(
    message: Message, render: Render, t: Translate, card: CaseCard, tz: tzinfo, view: CaseView
) -> None:
    text = fit_html(card_text(render, card, tz, view), TEXT_LIMIT)
    await message.answer(text, reply_markup=card_keyboard(card, t))


async def edit_card(
    query: CallbackQuery, render: Render, t: Translate, card: CaseCard, tz: tzinfo, done: str
) -> None:
    """Show the new state and the next buttons on the tapped card."""
    message = query.message
    if isinstance(message, Message):
        await refresh_card(
            query.bot,
            message.chat.id,
            message.message_id,
            _is_photo(message),
            render,
            t,
            card,
            tz,
            done,
        )


def _is_photo(message: Message) -> bool:
    return bool(message.photo) or message.caption is not None


async def refresh_card(
    bot: Bot | None,
    chat_id: int,
    message_id: int,
    caption: bool,
    render: Render,
    t: Translate,
    card: CaseCard,
    tz: tzinfo,
    done: str = "",
) -> None:
    """Edit a card message into the card's new state and buttons."""
    text = card_text(render, card, tz, done=done)
    text = fit_html(text, CAPTION_LIMIT if caption else TEXT_LIMIT)
    await edit_message(
        bot, chat_id, message_id, text, caption=caption, keyboard=card_keyboard(card, t)
    )
