"""Due-item handlers of micro-wishes and patrols, bound to the running bot's services.

``register_wish_and_patrol_jobs`` gives the scheduler its WISH_CLAIM_EXPIRY and
PATROL_REMINDER handlers; ``start_patrol_reminders`` (at start-up) schedules the next
reminder of each configured time that has none pending.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from gridbot.bot.config import Settings
from gridbot.bot.scheduler import DueHandler, DueScheduler
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.notices import Notifier
from gridbot.domain.patrol import ensure_patrol_reminders, on_patrol_reminder
from gridbot.domain.ports import Clock, UnitOfWork
from gridbot.domain.wishes import on_claim_expiry

log = logging.getLogger(__name__)


def register_wish_and_patrol_jobs(
    scheduler: DueScheduler, notifier: Notifier, clock: Clock, settings: Settings
) -> None:
    tz, times = settings.tz, settings.patrol_times

    async def claim_expired(item: DueItem, uow: UnitOfWork) -> None:
        await on_claim_expiry(item, uow, clock, notifier, tz)

    async def patrol_reminder(item: DueItem, uow: UnitOfWork) -> None:
        await on_patrol_reminder(item, uow, clock, notifier, tz, times)

    handlers: dict[DueKind, DueHandler] = {
        DueKind.WISH_CLAIM_EXPIRY: claim_expired,
        DueKind.PATROL_REMINDER: patrol_reminder,
    }
    for kind, handler in handlers.items():
        scheduler.register(kind, handler)


async def start_patrol_reminders(
    uow_factory: Callable[[], UnitOfWork], clock: Clock, settings: Settings
) -> int:
    """Returns how many reminders were scheduled (0 when every time has one pending).
    Reminders are not worth failing the start-up for: a failure is logged, and the next
    start-up schedules them."""
    try:
        async with uow_factory() as uow:
            added = await ensure_patrol_reminders(uow, clock, settings.tz, settings.patrol_times)
            await uow.commit()
    except Exception:
        log.exception("could not schedule the patrol reminders")
        return 0
    return len(added)
