"""Micro-wishes on their cards: 通过 Approve, 驳回 Reject (asks the reason), 认领 Claim,
完成 Fulfilled (asks a note or a photo), 确认 Confirm; and /wishes, the board of the grids
a branch secretary or grid leader looks after.

Every tap is a request: the use case checks who asks and what state the wish is in, and a
refusal reaches the central error handler, which answers the tap. A tap is answered here
only after the use case succeeded, so it is answered exactly once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from gridbot.domain.case import Case
from gridbot.domain.errors import DomainError
from gridbot.domain.lifecycle import CaseAction
from gridbot.handlers.common.callbacks import CaseCallback
from gridbot.handlers.common.types import Render, Translate
from gridbot.handlers.wishes.cards import (
    WishCard,
    WishSteps,
    approval_keyboard,
    ask_for_text,
    close_card,
    finish,
    refuse_text,
)
from gridbot.services.cases import is_wish
from gridbot.services.context import Actor, Context
from gridbot.services.notices import N_
from gridbot.services.wishes import (
    ApproveWish,
    CheckWishStep,
    ClaimWish,
    ConfirmWish,
    FulfilWish,
    RejectWish,
    WishBoardOf,
    approve_wish,
    check_wish_step,
    claim_wish,
    confirm_wish,
    fulfil_wish,
    pending_wishes,
    reject_wish,
)

WishUseCase = Callable[[Actor | None, int, Context], Awaitable[Case]]
MOST_CARDS = 10  # /wishes sends one approval card per pending wish, this many at most


class OnWish(Filter):
    """A CaseCallback on a micro-wish (驳回 shares the ``reject`` action with 退回)."""

    async def __call__(
        self, query: CallbackQuery, callback_data: CaseCallback, ctx: Context
    ) -> bool:
        return await is_wish(ctx, callback_data.case_id)


async def _approve(actor: Actor | None, case_id: int, ctx: Context) -> Case:
    return await approve_wish(ApproveWish(actor, case_id), ctx)


async def _claim(actor: Actor | None, case_id: int, ctx: Context) -> Case:
    return await claim_wish(ClaimWish(actor, case_id), ctx)


async def _confirm(actor: Actor | None, case_id: int, ctx: Context) -> Case:
    return await confirm_wish(ConfirmWish(actor, case_id), ctx)


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
STEPS = {
    CaseAction.REJECT: (WishSteps.reason, "wishes/ask_reason.html.j2"),
    CaseAction.FULFIL: (WishSteps.fulfilment, "wishes/ask_fulfilment.html.j2"),
}


async def on_wish_tap(
    query: CallbackQuery,
    callback_data: CaseCallback,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    t: Translate,
) -> None:
    """通过 / 认领 / 确认: one tap, one use case; the card closes with what was done."""
    use_case, template, toast = AT_ONCE[callback_data.action]
    case = await use_case(actor, callback_data.case_id, ctx)
    await close_card(query, render(template, case=case), t(toast))


async def on_reject(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    await ask_step(query, callback_data, state, ctx, actor, render, CaseAction.REJECT)


async def on_fulfil(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    await ask_step(query, callback_data, state, ctx, actor, render, CaseAction.FULFIL)


async def ask_step(
    query: CallbackQuery,
    callback_data: CaseCallback,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
    action: CaseAction,
) -> None:
    """The tap of a step that needs words: checked now, the words asked for."""
    case = await check_wish_step(CheckWishStep(actor, callback_data.case_id, action), ctx)
    step, prompt = STEPS[action]
    await ask_for_text(state, step, query, case)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(render(prompt, number=case.number))


async def on_reason(
    message: Message,
    draft: WishCard,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    try:
        case = await reject_wish(RejectWish(actor, draft.case_id, message.text or ""), ctx)
    except DomainError as refused:
        await refuse_text(refused, state, message, render)
        return
    await finish(state, message, draft, render("wishes/rejected.html.j2", case=case))


async def on_fulfilment(
    message: Message,
    draft: WishCard,
    state: FSMContext,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    photos = (message.photo[-1].file_id,) if message.photo else ()
    note = message.text or message.caption
    try:
        case = await fulfil_wish(FulfilWish(actor, draft.case_id, note, photos), ctx)
    except DomainError as refused:
        await refuse_text(refused, state, message, render)
        return
    await finish(state, message, draft, render("wishes/fulfilled.html.j2", case=case))


async def on_not_reason(message: Message, draft: WishCard, render: Render) -> None:
    await message.answer(render("wishes/ask_reason.html.j2", number=draft.number))


async def on_not_fulfilment(message: Message, draft: WishCard, render: Render) -> None:
    await message.answer(render("wishes/ask_fulfilment.html.j2", number=draft.number))


async def cmd_wishes(
    message: Message, ctx: Context, actor: Actor | None, render: Render, t: Translate
) -> None:
    board = await pending_wishes(WishBoardOf(actor), ctx)
    await message.answer(render("wishes/board.html.j2", board=board, most=MOST_CARDS))
    for case in board.pending[:MOST_CARDS]:
        assert case.id is not None
        text = render("wishes/pending_card.html.j2", case=case, tz=ctx.tz)
        await message.answer(text, reply_markup=approval_keyboard(case.id, t))
