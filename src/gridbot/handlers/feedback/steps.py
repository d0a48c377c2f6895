"""What the rating and follow-up conversations share: their states, the conversation object
(which case, what was chosen, which prompt to tidy up), and asking or ending politely."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from gridbot.handlers.common import conversation
from gridbot.handlers.common.callbacks import FeedbackCallback
from gridbot.handlers.common.types import Translate


class Feedback(StatesGroup):
    rating_reason = State()  # 不满意: what is still wrong
    rating_comment = State()  # after 满意 / 基本满意: an optional comment
    visit_note = State()  # 回访: what the visitor found (and photos)


@dataclass
class FeedbackStep:
    """One rating's or one follow-up visit's conversation."""

    case_id: int
    choice: str  # the rating value, or the visit outcome
    prompt_chat_id: int | None = None
    prompt_message_id: int | None = None
    photos: list[str] = field(default_factory=list)


class CurrentStep(Filter):
    """A button of this conversation's prompt (not an older one); passes it as ``draft``."""

    async def __call__(
        self, query: CallbackQuery, callback_data: FeedbackCallback, state: FSMContext
    ) -> bool | dict[str, Any]:
        step = await conversation.load(state, FeedbackStep)
        if step is None or step.case_id != callback_data.case_id:
            return False
        return {"draft": step}


async def busy(state: FSMContext) -> bool:
    """Whether the person is in the middle of something else (a draft, another step)."""
    return await state.get_state() is not None


async def begin(state: FSMContext, step: FeedbackStep, at: State) -> None:
    await conversation.begin(state, step, at)


async def ask(
    state: FSMContext,
    message: Message,
    step: FeedbackStep,
    text: str,
    rows: list[list[InlineKeyboardButton]],
) -> None:
    """Ask with buttons, remembering the prompt so its buttons go when it is answered."""
    sent = await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
    step.prompt_chat_id, step.prompt_message_id = sent.chat.id, sent.message_id
    await conversation.save(state, step)


async def end(state: FSMContext, step: FeedbackStep | None, bot: Bot | None) -> None:
    """The conversation is over: its prompt loses its buttons."""
    await state.clear()
    if step is None or step.prompt_message_id is None or bot is None:
        return
    with contextlib.suppress(TelegramBadRequest):  # already edited, or gone
        await bot.edit_message_reply_markup(
            chat_id=step.prompt_chat_id, message_id=step.prompt_message_id
        )


async def drop_buttons(query: CallbackQuery) -> None:
    """The tapped message's buttons go: what they asked is answered."""
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)


def step_button(label: str, step: str, case_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=label, callback_data=FeedbackCallback(step=step, case_id=case_id).pack()
    )


def cancel_row(case_id: int, t: Translate) -> list[InlineKeyboardButton]:
    return [step_button(t("Cancel"), "cancel", case_id)]
