"""The end of the loop in chat: the reporter's rating (评价) and comment, the follow-up visit
(回访) recorded by whoever handled the case, and /visits."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.handlers.common.answers import not_text
from gridbot.handlers.common.callbacks import CaseCallback, FeedbackCallback
from gridbot.handlers.common.conversation import Holds
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.feedback import follow_ups, ratings, visits
from gridbot.handlers.feedback.steps import CurrentStep, Feedback, FeedbackStep, end

PRIVATE = F.chat.type == ChatType.PRIVATE
TEXT = F.text & ~F.text.startswith("/")
NOT_COMMAND = ~F.text.startswith("/")


async def on_skip(
    query: CallbackQuery, draft: FeedbackStep, state: FSMContext, render: Render
) -> None:
    """No comment after all (or the follow-up or 不满意 given up): nothing changes."""
    await query.answer()
    await end(state, draft, query.bot)
    if isinstance(query.message, Message):
        await query.message.answer(render("feedback/left.html.j2"))


async def on_stale(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("This button is no longer active."))


def build_router() -> Router:
    router = Router(name=__name__)
    case, on_step = CaseCallback.filter, Holds(FeedbackStep)
    router.callback_query.register(ratings.on_rate, case(F.action.in_(set(ratings.RATING_ACTIONS))))
    router.callback_query.register(
        follow_ups.on_outcome, case(F.action.in_(set(follow_ups.OUTCOME_ACTIONS)))
    )
    router.callback_query.register(follow_ups.on_open, case(F.action == "follow_up"))
    router.message.register(ratings.on_reason, StateFilter(Feedback.rating_reason), TEXT, on_step)
    router.message.register(ratings.on_comment, StateFilter(Feedback.rating_comment), TEXT, on_step)
    router.message.register(follow_ups.on_note, StateFilter(Feedback.visit_note), TEXT, on_step)
    router.message.register(
        follow_ups.on_captioned_photo,
        StateFilter(Feedback.visit_note),
        F.photo & F.caption,
        on_step,
    )
    router.message.register(follow_ups.on_photo, StateFilter(Feedback.visit_note), F.photo, on_step)
    router.message.register(
        not_text,
        StateFilter(Feedback.rating_reason, Feedback.rating_comment, Feedback.visit_note),
        NOT_COMMAND,
    )
    router.callback_query.register(
        on_skip, FeedbackCallback.filter(F.step.in_({"skip", "cancel"})), CurrentStep()
    )
    router.callback_query.register(on_stale, FeedbackCallback.filter())
    router.message.register(visits.cmd_visits, PRIVATE, Command("visits"), F.from_user)
    return router
