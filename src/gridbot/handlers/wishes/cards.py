"""The pieces of the micro-wish handlers: their conversation states and object (the card a
tap came from, kept while the person types a reason or a note), and closing a card into
its new state whether it is a text or a photo with a caption."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.domain.case import Case
from gridbot.domain.errors import DomainError, ValidationFailed
from gridbot.handlers.common import conversation
from gridbot.handlers.common.answers import INVALID_TEXT, text_problem
from gridbot.handlers.common.callbacks import CaseCallback
from gridbot.handlers.common.messages import edit_message
from gridbot.handlers.common.types import Render, Translate

TEXT_PROBLEMS = frozenset({"text_empty", "text_too_long"})


class WishSteps(StatesGroup):
    reason = State()  # 驳回: the reason the resident will be told
    fulfilment = State()  # 完成: a note or a photo


@dataclass
class WishCard:
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
    card = WishCard(
        case_id=case.id,
        number=case.number,
        chat_id=message.chat.id if message else None,
        message_id=message.message_id if message else None,
        caption=bool(message and message.text is None),
    )
    await conversation.begin(state, card, step)


def is_text_problem(refused: DomainError) -> TypeGuard[ValidationFailed]:
    """A reason or note that was empty or too long: asked again, the step goes on."""
    return isinstance(refused, ValidationFailed) and refused.details.get("code") in TEXT_PROBLEMS


async def close_card(query: CallbackQuery, text: str, toast: str) -> None:
    """Answer the tap with ``toast`` (once), then show the card's new state, buttons gone."""
    await query.answer(toast)
    if isinstance(query.message, Message):
        message = query.message
        await edit_message(
            query.bot, message.chat.id, message.message_id, text, caption=message.text is None
        )


async def refuse_text(
    refused: DomainError, state: FSMContext, message: Message, render: Render
) -> None:
    """An empty or too long text is asked again; any other refusal ends the step and goes
    to the central error handler."""
    if not is_text_problem(refused):
        await state.clear()
        raise refused
    await message.answer(render(INVALID_TEXT, **text_problem(refused)))


async def finish(state: FSMContext, message: Message, card: WishCard, text: str) -> None:
    await state.clear()
    await edit_message(message.bot, card.chat_id, card.message_id, text, caption=card.caption)
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
