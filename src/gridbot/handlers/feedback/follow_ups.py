"""The follow-up visit (回访) in chat: its card (from /visits), the 回访正常 / 问题反复 taps,
and the visitor's note (a photo may come first, or with it as its caption)."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.domain.case import FollowUpOutcome
from gridbot.domain.errors import IllegalTransition, NotFound, PermissionDenied
from gridbot.domain.texts import MAX_PHOTOS
from gridbot.handlers.common import conversation
from gridbot.handlers.common.answers import checked_text
from gridbot.handlers.common.callbacks import CaseCallback
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.feedback.steps import (
    Feedback,
    FeedbackStep,
    ask,
    begin,
    busy,
    cancel_row,
    drop_buttons,
    end,
)
from gridbot.handlers.feedback.visits import categories_of
from gridbot.services.context import Actor, Context
from gridbot.services.feedback import (
    CheckFollowUp,
    RecordFollowUp,
    check_follow_up,
    record_follow_up,
)

# Refusals that typing again cannot mend (a text refused for its length can be).
MOVED_ON = (IllegalTransition, NotFound, PermissionDenied)
OUTCOME_ACTIONS = {
    "follow_up_ok": FollowUpOutcome.NO_RECURRENCE,
    "follow_up_recurred": FollowUpOutcome.RECURRED,
}


def outcome_keyboard(case_id: int, t: Translate) -> InlineKeyboardMarkup:
    """回访正常 / 问题反复, as the follow-up notice has them."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("No recurrence"),
                    callback_data=CaseCallback(action="follow_up_ok", case_id=case_id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("Recurred"),
                    callback_data=CaseCallback(action="follow_up_recurred", case_id=case_id).pack(),
                ),
            ]
        ]
    )


async def on_open(
    query: CallbackQuery,
    callback_data: CaseCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    """A follow-up from /visits: its card with the two outcomes."""
    check = CheckFollowUp(actor, callback_data.case_id, FollowUpOutcome.NO_RECURRENCE)
    case = await check_follow_up(check, ctx)
    await query.answer()
    if isinstance(query.message, Message):
        text = render(
            "feedback/follow_up_card.html.j2",
            case=case,
            tz=ctx.tz,
            categories=categories_of(actor),
        )
        await query.message.answer(text, reply_markup=outcome_keyboard(callback_data.case_id, t))


async def on_outcome(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    outcome = OUTCOME_ACTIONS[callback_data.action]
    case = await check_follow_up(CheckFollowUp(actor, callback_data.case_id, outcome), ctx)
    if await busy(state):
        await query.answer(t("Please finish or /cancel what you are doing first."), show_alert=True)
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    await drop_buttons(query)
    step = FeedbackStep(callback_data.case_id, outcome.value)
    await begin(state, step, Feedback.visit_note)
    text = render("feedback/ask_visit_note.html.j2", case=case, outcome=outcome.value)
    await ask(state, query.message, step, text, [cancel_row(callback_data.case_id, t)])


async def on_photo(
    message: Message, draft: FeedbackStep, state: FSMContext, render: Render
) -> None:
    """A photo of the visit: kept; its caption, if any, is the note."""
    assert message.photo
    if len(draft.photos) < MAX_PHOTOS:
        draft.photos.append(message.photo[-1].file_id)
    await conversation.save(state, draft)
    if not message.caption:
        await message.answer(render("feedback/photo_kept.html.j2", count=len(draft.photos)))


async def on_note(
    message: Message,
    draft: FeedbackStep,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    note = await checked_text(message, render)
    if note is None:
        return
    await _record(message, note, draft, state, ctx, actor, render)


async def on_captioned_photo(
    message: Message,
    draft: FeedbackStep,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    await on_photo(message, draft, state, render)
    await _record(message, message.caption, draft, state, ctx, actor, render)


async def _record(
    message: Message,
    note: str | None,
    draft: FeedbackStep,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    outcome = FollowUpOutcome(draft.choice)
    cmd = RecordFollowUp(actor, draft.case_id, outcome, note, tuple(draft.photos))
    try:
        case = await record_follow_up(cmd, ctx)
    except MOVED_ON:
        await end(state, draft, message.bot)  # nothing left to record: the conversation ends
        raise
    await end(state, draft, message.bot)
    await message.answer(
        render("feedback/visit_recorded.html.j2", case=case, outcome=outcome.value)
    )
