"""Due-item handlers of the case workflow, bound to the running bot's services.

``register_workflow_jobs`` gives the scheduler its RESPOND_DEADLINE and RESOLVE_DEADLINE
handlers: a missed deadline reminds the assignee, then calls up the chain (逐级呼叫).
"""

from __future__ import annotations

from gridbot.bot.config import Settings
from gridbot.bot.scheduler import DueHandler, DueScheduler
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.notices import Notifier
from gridbot.domain.ports import Clock, UnitOfWork
from gridbot.domain.workflow import on_resolve_deadline, on_respond_deadline


def register_workflow_jobs(
    scheduler: DueScheduler, notifier: Notifier, clock: Clock, settings: Settings
) -> None:
    tz = settings.tz

    async def respond_deadline(item: DueItem, uow: UnitOfWork) -> None:
        await on_respond_deadline(item, uow, clock, notifier, tz)

    async def resolve_deadline(item: DueItem, uow: UnitOfWork) -> None:
        await on_resolve_deadline(item, uow, clock, notifier, tz)

    handlers: dict[DueKind, DueHandler] = {
        DueKind.RESPOND_DEADLINE: respond_deadline,
        DueKind.RESOLVE_DEADLINE: resolve_deadline,
    }
    for kind, handler in handlers.items():
        scheduler.register(kind, handler)
