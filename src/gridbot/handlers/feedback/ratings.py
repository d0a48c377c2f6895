"""The reporter's rating taps: 满意 and 基本满意 are taken at once (then a comment may follow),
不满意 first asks what is still wrong. Every tap is checked by the use case: someone
else's button, a second rating or a case that moved on is refused and changes nothing."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.domain.case import RatingValue
from gridbot.handlers.common.answers import checked_text
from gridbot.handlers.common.callbacks import CaseCallback
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.feedback.follow_ups import MOVED_ON
from gridbot.handlers.feedback.steps import (
    Feedback,
    FeedbackStep,
    ask,
    begin,
    busy,
    cancel_row,
    drop_buttons,
    end,
    step_button,
)
from gridbot.services.context import Actor, Context
from gridbot.services.feedback import (
    CheckRating,
    CommentRating,
    RateCase,
    check_rating,
    comment_rating,
    rate_case,
)

RATING_ACTIONS = {
    "rate_satisfied": RatingValue.SATISFIED,
    "rate_basic": RatingValue.BASIC,
    "rate_unsatisfied": RatingValue.UNSATISFIED,
}


async def on_rate(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    value = RATING_ACTIONS[callback_data.action]
    if value == RatingValue.UNSATISFIED:
        await _ask_reason(query, callback_data.case_id, state, ctx, actor, render, t)
        return
    case = await rate_case(RateCase(actor, callback_data.case_id, value), ctx)
    await query.answer(t("Thank you for your rating!"))
    await drop_buttons(query)
    if not isinstance(query.message, Message):
        return
    if await busy(state):  # in the middle of something else: no comment asked for
        await query.message.answer(render("feedback/rated.html.j2", case=case, ask=False))
        return
    assert case.id is not None
    step = FeedbackStep(case.id, value.value)
    await begin(state, step, Feedback.rating_comment)
    text = render("feedback/rated.html.j2", case=case, ask=True)
    await ask(state, query.message, step, text, [[step_button(t("Skip"), "skip", case.id)]])


async def _ask_reason(
    query: CallbackQuery,
    case_id: int,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    case = await check_rating(CheckRating(actor, case_id, RatingValue.UNSATISFIED), ctx)
    if await busy(state):
        await query.answer(t("Please finish or /cancel what you are doing first."), show_alert=True)
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    step = FeedbackStep(case_id, RatingValue.UNSATISFIED.value)
    await begin(state, step, Feedback.rating_reason)
    text = render("feedback/ask_reason.html.j2", case=case)
    await ask(state, query.message, step, text, [cancel_row(case_id, t)])


async def on_reason(
    message: Message,
    draft: FeedbackStep,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    reason = await checked_text(message, render)
    if reason is None:
        return
    try:
        case = await rate_case(RateCase(actor, draft.case_id, RatingValue.UNSATISFIED, reason), ctx)
    except MOVED_ON:
        await end(state, draft, message.bot)  # nothing left to rate: the conversation ends
        raise
    await end(state, draft, message.bot)
    await message.answer(render("feedback/reopened.html.j2", case=case))


async def on_comment(
    message: Message,
    draft: FeedbackStep,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    comment = await checked_text(message, render)
    if comment is None:
        return
    added = await comment_rating(CommentRating(actor, draft.case_id, comment), ctx)
    await end(state, draft, message.bot)
    await message.answer(render("feedback/commented.html.j2", added=added))
