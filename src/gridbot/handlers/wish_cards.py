"""The pieces of the micro-wish handlers: their conversation states, the card a tap came
from (kept while the person types a reason or a note), and editing a card into its new
state whether it is a text or a photo with a caption."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import TypeGuard

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.domain.case import Case
from gridbot.domain.errors import DomainError, ValidationFailed
from gridbot.handlers.callbacks import CaseCallback
from gridbot.handlers.report_steps import text_problem
from gridbot.handlers.types import Render, Translate

logger = logging.getLogger(__name__)
TEXT_PROBLEMS = frozenset({"text_empty", "text_too_long"})


class WishSteps(StatesGroup):
    reason = State()  # 驳回: the reason the resident will be told
    fulfilment = State()  # 完成: a note or a photo


@dataclass(frozen=True)
class CardRef:
    """The wish a typed answer is for, and the card whose button asked for it."""

    case_id: int
    number: str = ""
    chat_id: int | None = None
    message_id: int | None = None
    caption: bool = False


async def ask_for_text(state: FSMContext, step: State, query: CallbackQuery, case: Case) -> None:
    """Enter ``step`` for ``case``, remembering the card tapped."""
    assert case.id is not None
    message = query.message if isinstance(query.message, Message) else None
    ref = CardRef(
        case_id=case.id,
        number=case.number,
        chat_id=message.chat.id if message else None,
        message_id=message.message_id if message else None,
        caption=bool(message and message.text is None),
    )
    await state.set_state(step)
    await state.set_data({"card": asdict(ref)})


async def card_of(state: FSMContext) -> CardRef:
    return CardRef(**(await state.get_data())["card"])


def is_text_problem(refused: DomainError) -> TypeGuard[ValidationFailed]:
    """A reason or note that was empty or too long: asked again, the step goes on."""
    return isinstance(refused, ValidationFailed) and refused.details.get("code") in TEXT_PROBLEMS


async def close_card(query: CallbackQuery, text: str, toast: str) -> None:
    """Answer the tap with ``toast`` (once), then show the card's new state, buttons gone."""
    await query.answer(toast)
    if isinstance(query.message, Message):
        message = query.message
        ref = CardRef(0, "", message.chat.id, message.message_id, message.text is None)
        await retire_card(query.bot, ref, text)


async def retire_card(bot: Bot | None, ref: CardRef, text: str) -> None:
    """Edit the card into ``text`` without buttons. A card that already says so ("message
    is not modified"), or one that is gone, is left alone: the action itself succeeded."""
    if bot is None or ref.chat_id is None or ref.message_id is None:
        return
    try:
        if ref.caption:
            await bot.edit_message_caption(
                chat_id=ref.chat_id, message_id=ref.message_id, caption=text, reply_markup=None
            )
        else:
            await bot.edit_message_text(
                text, chat_id=ref.chat_id, message_id=ref.message_id, reply_markup=None
            )
    except TelegramBadRequest as refused:
        logger.info("card %s in chat %s kept: %s", ref.message_id, ref.chat_id, refused.message)


async def refuse_text(
    refused: DomainError, state: FSMContext, message: Message, render: Render
) -> None:
    """An empty or too long text is asked again; any other refusal ends the step and goes
    to the central error handler."""
    if not is_text_problem(refused):
        await state.clear()
        raise refused
    await message.answer(render("report/invalid_text.html.j2", **text_problem(refused)))


async def finish(state: FSMContext, message: Message, text: str) -> None:
    card = await card_of(state)
    await state.clear()
    await retire_card(message.bot, card, text)
    await message.answer(text)


def approval_keyboard(case_id: int, t: Translate) -> InlineKeyboardMarkup:
    """通过 Approve · 驳回 Reject under a wish waiting for approval."""
    row = [
        InlineKeyboardButton(
            text=t("Approve"),
            callback_data=CaseCallback(action="approve", case_id=case_id).pack(),
        ),
        InlineKeyboardButton(
            text=t("Reject"), callback_data=CaseCallback(action="reject", case_id=case_id).pack()
        ),
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])
