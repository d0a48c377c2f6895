"""同样问题 "Same problem here": a neighbour taps the button under a public case's group post.

Only a toast answers the tap, so the group sees no extra message; the count goes up once per
account and the reporter's own tap does not count.
"""

from __future__ import annotations

from aiogram.types import CallbackQuery

from gridbot.domain.errors import DomainError
from gridbot.handlers.common.callbacks import CaseCallback
from gridbot.handlers.common.types import Translate
from gridbot.services.cases import MarkAffected, mark_affected
from gridbot.services.context import Context
from gridbot.services.notices import N_

GENERIC_REFUSAL = N_("Sorry, that cannot be done. Nothing was changed.")
REFUSALS = {
    "illegal_transition": N_("This case is no longer open, so it is not counted any more."),
    "not_found": N_("Sorry, I could not find that. Please check and try again."),
    "not_resident_here": N_(
        "Only residents of this grid are counted. Join your grid with /start first."
    ),
}


async def on_affected(
    query: CallbackQuery, callback_data: CaseCallback, ctx: Context, t: Translate
) -> None:
    try:
        affected = await mark_affected(MarkAffected(query.from_user.id, callback_data.case_id), ctx)
    except DomainError as refused:  # a toast, not a message in the group
        await query.answer(t(REFUSALS.get(refused.code, GENERIC_REFUSAL)))
        return
    if affected.counted:
        await query.answer(
            t("Noted: %(count)s households have this problem.", count=affected.count)
        )
    else:
        await query.answer(
            t("You are already counted: %(count)s households in all.", count=affected.count)
        )
