"""The due scheduler's jobs, bound to the running bot's context: a missed deadline reminds
the assignee, then calls up the chain (逐级呼叫); a claim on a micro-wish lapses; the daily
patrol reminders (一日双巡) go out."""

from __future__ import annotations

import logging

from gridbot.bot.config import Settings
from gridbot.bot.scheduler import DueHandler, DueScheduler
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.services.context import Context
from gridbot.services.patrol import ensure_patrol_reminders, on_patrol_reminder
from gridbot.services.ports import UnitOfWork
from gridbot.services.wishes import on_claim_expiry
from gridbot.services.workflow import on_resolve_deadline, on_respond_deadline

log = logging.getLogger(__name__)


def register_jobs(scheduler: DueScheduler, ctx: Context, settings: Settings) -> None:
    """A handler for every kind of due item the service layer schedules today."""
    times = settings.patrol_times

    async def respond_deadline(item: DueItem, uow: UnitOfWork) -> None:
        await on_respond_deadline(item, uow, ctx)

    async def resolve_deadline(item: DueItem, uow: UnitOfWork) -> None:
        await on_resolve_deadline(item, uow, ctx)

    async def claim_expired(item: DueItem, uow: UnitOfWork) -> None:
        await on_claim_expiry(item, uow, ctx)

    async def patrol_reminder(item: DueItem, uow: UnitOfWork) -> None:
        await on_patrol_reminder(item, uow, ctx, times)

    handlers: dict[DueKind, DueHandler] = {
        DueKind.RESPOND_DEADLINE: respond_deadline,
        DueKind.RESOLVE_DEADLINE: resolve_deadline,
        DueKind.WISH_CLAIM_EXPIRY: claim_expired,
        DueKind.PATROL_REMINDER: patrol_reminder,
    }
    for kind, handler in handlers.items():
        scheduler.register(kind, handler)


async def start_patrol_reminders(ctx: Context, settings: Settings) -> int:
    """Returns how many reminders were scheduled (0 when every time has one pending).
    Reminders are not worth failing the start-up for: a failure is logged, and the next
    start-up schedules them."""
    try:
        return await ensure_patrol_reminders(ctx, settings.patrol_times)
    except Exception:
        log.exception("could not schedule the patrol reminders")
        return 0
