"""The due scheduler's jobs, bound to the running bot's context: a missed deadline reminds
the assignee, then calls up the chain (逐级呼叫); a claim on a micro-wish lapses; the daily
patrol reminders (一日双巡) go out; a care visit (走访) falls due; a resolved case waits for
its rating, then closes; a follow-up visit (回访) falls due; the morning brief goes out; the
weekly and monthly public digests (向群众汇报) are published; finished rows older than
GRIDBOT_RETENTION_DAYS are dropped every night."""

from __future__ import annotations

import logging

from gridbot.bot.config import Settings
from gridbot.bot.scheduler import DueHandler, DueScheduler
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.services.brief import ensure_morning_brief, on_morning_brief
from gridbot.services.care import on_care_visit_due
from gridbot.services.context import Context
from gridbot.services.digests import ensure_digests, on_digest
from gridbot.services.feedback import ensure_rating_polls, on_follow_up, on_rating_poll
from gridbot.services.patrol import ensure_patrol_reminders, on_patrol_reminder
from gridbot.services.ports import UnitOfWork
from gridbot.services.retention import ensure_purge, on_purge
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

    async def care_visit(item: DueItem, uow: UnitOfWork) -> None:
        await on_care_visit_due(item, uow, ctx)

    async def rating_poll(item: DueItem, uow: UnitOfWork) -> None:
        await on_rating_poll(item, uow, ctx)

    async def follow_up(item: DueItem, uow: UnitOfWork) -> None:
        await on_follow_up(item, uow, ctx)

    async def morning_brief(item: DueItem, uow: UnitOfWork) -> None:
        await on_morning_brief(item, uow, ctx)

    async def digest(item: DueItem, uow: UnitOfWork) -> None:
        await on_digest(item, uow, ctx)

    async def purge(item: DueItem, uow: UnitOfWork) -> None:
        purged = await on_purge(item, uow, ctx, settings.retention)
        if purged is not None and purged.total:
            log.info(
                "retention: dropped %s messages, %s due items, %s updates older than %s%s",
                purged.outbox,
                purged.due_items,
                purged.inbox,
                purged.before.isoformat(timespec="seconds"),
                "" if purged.done else " (more to go)",
            )

    handlers: dict[DueKind, DueHandler] = {
        DueKind.RESPOND_DEADLINE: respond_deadline,
        DueKind.RESOLVE_DEADLINE: resolve_deadline,
        DueKind.WISH_CLAIM_EXPIRY: claim_expired,
        DueKind.PATROL_REMINDER: patrol_reminder,
        DueKind.CARE_VISIT: care_visit,
        DueKind.RATING_POLL: rating_poll,
        DueKind.FOLLOW_UP: follow_up,
        DueKind.MORNING_BRIEF: morning_brief,
        DueKind.DIGEST: digest,
        DueKind.PURGE: purge,
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


async def start_loop_chains(ctx: Context) -> None:
    """At start-up: the morning brief's chain, the public digests' chains, and a rating
    poll for every resolved case that waits for its rating without one. Failures are
    logged, not fatal: the next start-up tries again."""
    try:
        await ensure_morning_brief(ctx)
    except Exception:
        log.exception("could not schedule the morning brief")
    try:
        await ensure_digests(ctx)
    except Exception:
        log.exception("could not schedule the public digests")
    try:
        polled = await ensure_rating_polls(ctx)
    except Exception:
        log.exception("could not schedule the rating polls")
    else:
        if polled:
            log.info("scheduled rating polls for %s cases resolved without one", polled)


async def start_retention(ctx: Context, settings: Settings) -> None:
    """At start-up: the nightly purge of old finished rows (or none, with retention off).
    A failure is logged, not fatal: the next start-up schedules it."""
    try:
        await ensure_purge(ctx, settings.retention)
    except Exception:
        log.exception("could not schedule the nightly purge")
