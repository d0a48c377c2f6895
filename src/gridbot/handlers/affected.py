"""同样问题 "Same problem here": a neighbour taps the button under a public case's group post.

Only a toast answers the tap, so the group sees no extra message; the count goes up once per
account and the reporter's own tap does not count (``mark_affected``).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery

from gridbot.bot.i18n import N_
from gridbot.domain.cases import mark_affected
from gridbot.domain.errors import DomainError
from gridbot.domain.ports import Clock
from gridbot.handlers.callbacks import CaseCallback
from gridbot.handlers.types import Translate, UowFactory

GENERIC_REFUSAL = N_("Sorry, that cannot be done. Nothing was changed.")
REFUSALS = {
    "illegal_transition": N_("This case is no longer open, so it is not counted any more."),
    "not_found": N_("Sorry, I could not find that. Please check and try again."),
}


async def on_affected(
    query: CallbackQuery,
    callback_data: CaseCallback,
    uow_factory: UowFactory,
    clock: Clock,
    t: Translate,
) -> None:
    try:
        async with uow_factory() as uow:
            case = await uow.cases.get(callback_data.case_id)
            before = case.affected_count if case is not None else None
            count = await mark_affected(uow, clock, query.from_user.id, callback_data.case_id)
            await uow.commit()
    except DomainError as refused:  # a toast, not a message in the group
        await query.answer(t(REFUSALS.get(refused.code, GENERIC_REFUSAL)))
        return
    if before == count:
        await query.answer(t("You are already counted: %(count)s households in all.", count=count))
    else:
        await query.answer(t("Noted: %(count)s households have this problem.", count=count))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_affected, CaseCallback.filter(F.action == "affected"))
    return router
