"""Taps on a handler's case card that act at once: 接单 accept (报到 on a department case),
上报 escalate, 督办 urge; and opening a card from /tasks. The card is then edited to show
the new state and the next buttons.

Refusals (someone else's case, a stale button, a double tap) are raised by the use case
before anything is answered, so the central error handler answers the tap once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram.filters import Filter
from aiogram.types import CallbackQuery

from gridbot.handlers.common.callbacks import CaseCallback
from gridbot.handlers.common.private import answer_privately, own_chat_message
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.workflow.card import card_keyboard, card_text, edit_card
from gridbot.services.cases import is_wish
from gridbot.services.context import Actor, Context
from gridbot.services.notices import N_
from gridbot.services.notices.html_limits import TEXT_LIMIT, fit_html
from gridbot.services.workflow import (
    AcceptCase,
    CaseCard,
    EscalateCase,
    OpenCard,
    UrgeCase,
    accept_case,
    escalate_case,
    open_card,
    urge_case,
)

UseCase = Callable[[Actor | None, int, Context], Awaitable[CaseCard]]


async def _accept(actor: Actor | None, case_id: int, ctx: Context) -> CaseCard:
    return await accept_case(AcceptCase(actor, case_id), ctx)


async def _escalate(actor: Actor | None, case_id: int, ctx: Context) -> CaseCard:
    return await escalate_case(EscalateCase(actor, case_id), ctx)


async def _urge(actor: Actor | None, case_id: int, ctx: Context) -> CaseCard:
    return await urge_case(UrgeCase(actor, case_id), ctx)


# callback action -> (use case, what the toast and the card say was done)
AT_ONCE: dict[str, tuple[UseCase, str]] = {
    "accept": (_accept, N_("You have taken the case.")),
    "escalate": (_escalate, N_("Escalated to the next level.")),
    "urge": (_urge, N_("Urged: the handler has been pressed.")),
}


class NotAWish(Filter):
    """Issues and hazards only: a wish's Reject (驳回) shares the callback of Return (退回)
    and belongs to the wish handlers. An unknown case passes, to be refused by the use case."""

    async def __call__(
        self, query: CallbackQuery, callback_data: CaseCallback, ctx: Context
    ) -> bool:
        return not await is_wish(ctx, callback_data.case_id)


async def on_card_action(
    query: CallbackQuery,
    callback_data: CaseCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    use_case, done = AT_ONCE[callback_data.action]
    card = await use_case(actor, callback_data.case_id, ctx)
    if own_chat_message(query) is None:  # never edit a card into a group's message
        text = fit_html(card_text(render, card, ctx.tz, done=t(done)), TEXT_LIMIT)
        await answer_privately(query, t, text, card_keyboard(card, t))
        return
    await query.answer(t(done))
    await edit_card(query, render, t, card, ctx.tz, t(done))


async def on_open_card(
    query: CallbackQuery,
    callback_data: CaseCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    card, view = await open_card(OpenCard(actor, callback_data.case_id), ctx)
    text = fit_html(card_text(render, card, ctx.tz, view), TEXT_LIMIT)
    await answer_privately(query, t, text, card_keyboard(card, t))
