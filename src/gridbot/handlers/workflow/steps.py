"""What the card actions that ask for something first share: their states, the
conversation object (``CaseStep``: which case, where its card is, what was given so far),
asking the next question, and ending with the card edited into the case's new state."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message

from gridbot.domain.case import Case
from gridbot.domain.lifecycle import CaseAction
from gridbot.handlers.common import conversation
from gridbot.handlers.common.callbacks import CaseCallback, CaseStepCallback
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.workflow.card import refresh_card, step_button, step_keyboard
from gridbot.services.context import Actor, Context
from gridbot.services.workflow import CaseCard, CheckAction, check_action

TEXT_STEPS = ("progress", "resolve_note", "resolve_photos")


class CaseNotes(StatesGroup):
    progress = State()
    resolve_note = State()
    resolve_photos = State()
    return_reason = State()
    return_number = State()
    return_note = State()
    choosing = State()  # a transfer target or a department


@dataclass
class CaseStep:
    """The conversation of one card action."""

    case_id: int
    card_chat_id: int | None = None  # the card tapped, edited when the action is done
    card_message_id: int | None = None
    card_caption: bool = False
    prompt_chat_id: int | None = None  # the last question asked, whose buttons go
    prompt_message_id: int | None = None
    photos: list[str] = field(default_factory=list)
    note: str | None = None
    reason: str | None = None


class CurrentCase(Filter):
    """A step button of the case this conversation is about (not of an older prompt);
    passes the conversation as ``draft``."""

    async def __call__(
        self, query: CallbackQuery, callback_data: CaseStepCallback, state: FSMContext
    ) -> bool | dict[str, Any]:
        step = await conversation.load(state, CaseStep)
        if step is None or step.case_id != callback_data.case_id:
            return False
        return {"draft": step}


def tapped_case(query: CallbackQuery) -> int:
    return CaseCallback.unpack(query.data or "").case_id


async def begin(
    state: FSMContext,
    query: CallbackQuery,
    ctx: Context,
    actor: Actor | None,
    action: CaseAction,
    step: State,
) -> Case:
    """Check the first tap, then remember the case and its card for the next steps."""
    case = await check_action(CheckAction(actor, tapped_case(query), action), ctx)
    assert case.id is not None
    card = query.message if isinstance(query.message, Message) else None
    draft = CaseStep(case_id=case.id)
    if card is not None:
        draft.card_chat_id, draft.card_message_id = card.chat.id, card.message_id
        draft.card_caption = bool(card.photo or card.caption)
    await conversation.begin(state, draft, step)
    return case


async def finish(
    state: FSMContext,
    bot: Bot | None,
    card: CaseCard,
    render: Render,
    t: Translate,
    ctx: Context,
    done: str,
) -> None:
    """After the use case: the question's buttons go, the conversation ends, and the card
    the action started from shows the case's new state."""
    draft = await conversation.load(state, CaseStep)
    await drop_prompt(draft, bot)
    await state.clear()
    if draft is not None and draft.card_chat_id is not None and draft.card_message_id is not None:
        await refresh_card(
            bot,
            draft.card_chat_id,
            draft.card_message_id,
            draft.card_caption,
            render,
            t,
            card,
            ctx.tz,
            done,
        )


async def ask(
    state: FSMContext, message: Message | None, text: str, rows: list[list[InlineKeyboardButton]]
) -> None:
    """Ask the next question with its buttons; the previous question loses its buttons."""
    draft = await conversation.load(state, CaseStep)
    if message is None or draft is None:
        return
    await drop_prompt(draft, message.bot)
    sent = await message.answer(text, reply_markup=step_keyboard(rows))
    draft.prompt_chat_id, draft.prompt_message_id = sent.chat.id, sent.message_id
    await conversation.save(state, draft)


async def drop_prompt(draft: CaseStep | None, bot: Bot | None) -> None:
    if draft is None or draft.prompt_message_id is None or bot is None:
        return
    with contextlib.suppress(TelegramBadRequest):  # already edited, or gone
        await bot.edit_message_reply_markup(
            chat_id=draft.prompt_chat_id, message_id=draft.prompt_message_id
        )


def cancel_row(case_id: int, t: Translate) -> list[InlineKeyboardButton]:
    return [step_button(t("Cancel"), "cancel", case_id)]
