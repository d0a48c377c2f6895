"""重办: what reopening a case or a wish sets going again."""

from __future__ import annotations

from datetime import datetime

from gridbot.domain.case import Case
from gridbot.domain.deadlines import compute_deadlines
from gridbot.domain.messaging import DueKind
from gridbot.domain.org import Category
from gridbot.domain.wishes import claim_expiry
from gridbot.services.common import reschedule
from gridbot.services.context import Context
from gridbot.services.ports import UnitOfWork


async def restart_handling(
    uow: UnitOfWork, ctx: Context, case: Case, category: Category, now: datetime
) -> None:
    """A reopened issue or hazard gets a new resolution deadline, chased as the first was;
    a wish given back to its volunteer a new claim period."""
    if case.is_wish:
        case.claim_expires_at = claim_expiry(case, now)
        await reschedule(
            uow,
            DueKind.WISH_CLAIM_EXPIRY,
            case.number,
            case.claim_expires_at,
            {"claimant_id": case.claimant_id},
        )
        return
    _, case.resolve_by = compute_deadlines(category, case.priority, now, ctx.tz)
    await reschedule(uow, DueKind.RESOLVE_DEADLINE, case.number, case.resolve_by)
