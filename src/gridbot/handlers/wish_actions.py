"""Micro-wishes on their cards: 通过 Approve, 驳回 Reject (asks the reason), 认领 Claim,
完成 Fulfilled (asks a note or a photo), 确认 Confirm; and /wishes, the board of the grids
a branch secretary or grid leader looks after.

Every tap is a request: the use case checks who asks and what state the wish is in, and a
refusal reaches the central error handler, which answers the tap. A tap is answered here
only after the use case succeeded, so it is answered exactly once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.bot.i18n import N_
from gridbot.domain.case import Case
from gridbot.domain.errors import DomainError
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.ports import UnitOfWork
from gridbot.domain.wish_steps import check_wish_step, is_wish
from gridbot.domain.wishes import (
    approve_wish,
    claim_wish,
    confirm_wish,
    fulfil_wish,
    pending_wishes,
    reject_wish,
)
from gridbot.handlers.callbacks import CaseCallback
from gridbot.handlers.types import Render, Services, Translate, UowFactory
from gridbot.handlers.wish_cards import (
    WishSteps,
    approval_keyboard,
    ask_for_text,
    card_of,
    close_card,
    finish,
    refuse_text,
)

PRIVATE = F.chat.type == ChatType.PRIVATE
TYPED = F.text & ~F.text.startswith("/")
NOT_COMMAND = ~F.text.startswith("/")
WishUseCase = Callable[[UnitOfWork, Services, int, int], Awaitable[Case]]
MOST_CARDS = 10  # /wishes sends one approval card per pending wish, this many at most


class OnWish(Filter):
    """A CaseCallback on a micro-wish (驳回 shares the ``reject`` action with 退回)."""

    async def __call__(
        self, query: CallbackQuery, callback_data: CaseCallback, uow_factory: UowFactory
    ) -> bool:
        async with uow_factory() as uow:
            return await is_wish(uow, callback_data.case_id)


async def _approve(uow: UnitOfWork, s: Services, who: int, cid: int) -> Case:
    return await approve_wish(uow, s.clock, s.notifier, s.tz, who, cid)


async def _claim(uow: UnitOfWork, s: Services, who: int, cid: int) -> Case:
    return await claim_wish(uow, s.clock, s.notifier, s.tz, who, cid)


async def _confirm(uow: UnitOfWork, s: Services, who: int, cid: int) -> Case:
    return await confirm_wish(uow, s.clock, s.notifier, who, cid)


# callback action -> (use case, the card's template once done, the toast)
AT_ONCE: dict[str, tuple[WishUseCase, str, str]] = {
    "approve": (_approve, "wishes/approved.html.j2", N_("Approved")),
    "claim": (
        _claim,
        "wishes/claimed.html.j2",
        N_("Claimed. Thank you! The details are in your private chat with me."),
    ),
    "confirm": (_confirm, "wishes/confirmed.html.j2", N_("Confirmed")),
}


async def on_wish_tap(
    query: CallbackQuery,
    callback_data: CaseCallback,
    services: Services,
    render: Render,
    t: Translate,
) -> None:
    """通过 / 认领 / 确认: one tap, one use case; the card closes with what was done."""
    use_case, template, toast = AT_ONCE[callback_data.action]
    async with services.uow_factory() as uow:
        case = await use_case(uow, services, query.from_user.id, callback_data.case_id)
        await uow.commit()
    await close_card(query, render(template, case=case), t(toast))


async def on_reject(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    uow_factory: UowFactory,
    render: Render,
) -> None:
    await ask_step(query, callback_data, state, uow_factory, render, CaseAction.REJECT)


async def on_fulfil(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    uow_factory: UowFactory,
    render: Render,
) -> None:
    await ask_step(query, callback_data, state, uow_factory, render, CaseAction.FULFIL)


async def ask_step(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    uow_factory: UowFactory,
    render: Render,
    action: CaseAction,
) -> None:
    """The tap of a step that needs words: checked now, the words asked for."""
    async with uow_factory() as uow:
        case = await check_wish_step(uow, query.from_user.id, callback_data.case_id, action)
    step, prompt = STEPS[action]
    await ask_for_text(state, step, query, case)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(render(prompt, number=case.number))


STEPS = {
    CaseAction.REJECT: (WishSteps.reason, "wishes/ask_reason.html.j2"),
    CaseAction.FULFIL: (WishSteps.fulfilment, "wishes/ask_fulfilment.html.j2"),
}


async def on_reason(
    message: Message,
    state: FSMContext,
    services: Services,
    render: Render,
) -> None:
    assert message.from_user is not None
    card = await card_of(state)
    try:
        async with services.uow_factory() as uow:
            case = await reject_wish(
                uow,
                services.clock,
                services.notifier,
                message.from_user.id,
                card.case_id,
                message.text or "",
            )
            await uow.commit()
    except DomainError as refused:
        await refuse_text(refused, state, message, render)
        return
    await finish(state, message, render("wishes/rejected.html.j2", case=case))


async def on_fulfilment(
    message: Message,
    state: FSMContext,
    services: Services,
    render: Render,
) -> None:
    assert message.from_user is not None
    card = await card_of(state)
    photos = (message.photo[-1].file_id,) if message.photo else ()
    note = message.text or message.caption
    try:
        async with services.uow_factory() as uow:
            case = await fulfil_wish(
                uow,
                services.clock,
                services.notifier,
                message.from_user.id,
                card.case_id,
                note,
                photos,
            )
            await uow.commit()
    except DomainError as refused:
        await refuse_text(refused, state, message, render)
        return
    await finish(state, message, render("wishes/fulfilled.html.j2", case=case))


async def on_not_reason(message: Message, state: FSMContext, render: Render) -> None:
    card = await card_of(state)
    await message.answer(render("wishes/ask_reason.html.j2", number=card.number))


async def on_not_fulfilment(message: Message, state: FSMContext, render: Render) -> None:
    card = await card_of(state)
    await message.answer(render("wishes/ask_fulfilment.html.j2", number=card.number))


async def cmd_wishes(message: Message, services: Services, render: Render, t: Translate) -> None:
    assert message.from_user is not None
    async with services.uow_factory() as uow:
        board = await pending_wishes(uow, message.from_user.id)
    await message.answer(render("wishes/board.html.j2", board=board, most=MOST_CARDS))
    for case in board.pending[:MOST_CARDS]:
        assert case.id is not None
        text = render("wishes/pending_card.html.j2", case=case, tz=services.tz)
        await message.answer(text, reply_markup=approval_keyboard(case.id, t))


def build_router() -> Router:
    router = Router(name=__name__)
    case = CaseCallback.filter
    router.message.register(cmd_wishes, PRIVATE, Command("wishes"), F.from_user)
    router.callback_query.register(on_wish_tap, case(F.action.in_(AT_ONCE)))
    router.callback_query.register(on_fulfil, case(F.action == "fulfil"))
    router.callback_query.register(on_reject, case(F.action == "reject"), OnWish())
    router.message.register(on_reason, WishSteps.reason, TYPED)
    router.message.register(on_not_reason, WishSteps.reason, NOT_COMMAND)
    router.message.register(on_fulfilment, WishSteps.fulfilment, TYPED)
    router.message.register(on_fulfilment, WishSteps.fulfilment, F.photo)
    router.message.register(on_not_fulfilment, WishSteps.fulfilment, NOT_COMMAND)
    return router
