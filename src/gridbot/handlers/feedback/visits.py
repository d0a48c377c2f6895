"""/visits: the worker's follow-up visits (回访) and care visits (走访) due today or
overdue, each with a button to record it."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from gridbot.domain.org import Category
from gridbot.handlers.common.callbacks import CareCallback, CaseCallback
from gridbot.handlers.common.types import Render
from gridbot.services.context import Actor, Context
from gridbot.services.feedback import MyVisits, VisitsView, my_visits

BUTTONS = 20  # of each kind; the message lists them all the same


def categories_of(actor: Actor | None) -> dict[str, Category]:
    """The categories by code, to name them (an unknown person gets codes)."""
    return {c.code: c for c in actor.org.categories} if actor is not None else {}


async def cmd_visits(message: Message, ctx: Context, actor: Actor | None, render: Render) -> None:
    view = await my_visits(MyVisits(actor), ctx)
    text = render(
        "feedback/visits.html.j2",
        follow_ups=view.follow_ups,
        care=view.care,
        now=view.now,
        tz=ctx.tz,
        categories=categories_of(actor),
    )
    await message.answer(text, reply_markup=visit_buttons(view))


def visit_buttons(view: VisitsView) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                text=f"🔁 {case.number}",
                callback_data=CaseCallback(action="follow_up", case_id=visit.case_id).pack(),
            )
        ]
        for visit, case in view.follow_ups[:BUTTONS]
    ]
    rows += [
        [
            InlineKeyboardButton(
                text=f"🏠 {due.name}",
                callback_data=CareCallback(action="visit", care_id=due.care_person_id).pack(),
            )
        ]
        for due in view.care[:BUTTONS]
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
