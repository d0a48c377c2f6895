"""Taps on a handler's case card that act at once: 接单 accept (报到 on a department case),
上报 escalate, 督办 urge; and opening a card from /tasks. The card is then edited to show
the new state and the next buttons.

The steps that ask for something first (progress, resolve, return, transfer, whistle) are in
``case_notes``. Refusals (someone else's case, a stale button, a double tap) are raised by
the use case before anything is answered, so the central error handler answers the tap once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import F, Router
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from gridbot.bot.i18n import N_
from gridbot.domain.case import Case
from gridbot.domain.case_cards import card_after, open_card, urge_case
from gridbot.domain.ports import UnitOfWork
from gridbot.domain.wish_steps import is_wish
from gridbot.domain.workflow import accept_case, escalate_case
from gridbot.handlers.callbacks import CaseCallback
from gridbot.handlers.types import Render, Services, Translate, UowFactory
from gridbot.handlers.worker_cards import edit_card, send_card

UseCase = Callable[[UnitOfWork, Services, int, int], Awaitable[Case]]


async def _accept(uow: UnitOfWork, s: Services, who: int, cid: int) -> Case:
    return await accept_case(uow, s.clock, s.notifier, who, cid)


async def _escalate(uow: UnitOfWork, s: Services, who: int, cid: int) -> Case:
    return await escalate_case(uow, s.clock, s.notifier, s.tz, who, cid)


async def _urge(uow: UnitOfWork, s: Services, who: int, cid: int) -> Case:
    return await urge_case(uow, s.clock, s.notifier, who, cid)


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
        self, query: CallbackQuery, callback_data: CaseCallback, uow_factory: UowFactory
    ) -> bool:
        async with uow_factory() as uow:
            return not await is_wish(uow, callback_data.case_id)


async def on_card_action(
    query: CallbackQuery,
    callback_data: CaseCallback,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    use_case, done = AT_ONCE[callback_data.action]
    who = query.from_user.id
    async with services.uow_factory() as uow:
        case = await use_case(uow, services, who, callback_data.case_id)
        card = await card_after(uow, who, case)
        await uow.commit()
    await query.answer(t(done))
    await edit_card(query, render, t, card, services.tz, t(done))


async def on_open_card(
    query: CallbackQuery,
    callback_data: CaseCallback,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    async with services.uow_factory() as uow:
        card, view = await open_card(uow, query.from_user.id, callback_data.case_id)
    await query.answer()
    if isinstance(query.message, Message):
        await send_card(query.message, render, t, card, services.tz, view)


def build_router() -> Router:
    router = Router(name=__name__)
    case = CaseCallback.filter
    router.callback_query.register(on_card_action, case(F.action.in_(set(AT_ONCE))), NotAWish())
    router.callback_query.register(on_open_card, case(F.action == "card"))
    return router
