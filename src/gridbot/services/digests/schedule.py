"""Scheduled digests: weekly (Monday morning, for the week before) and monthly (the 1st,
for the month before), as ``GRIDBOT_DIGESTS`` says. Each community reports to the
residents' groups bound under it (a grid with no community above, to its own), when it had
anything in the period; nothing goes to a grid team's workers' group.

One chain of DIGEST due items per schedule, with the schedule as ``ref``: each run
publishes, then schedules the next, in the scheduler's transaction, so a digest goes out
once however many processes run or restart. ``ensure_digests`` starts the chains at
start-up and ends those of a schedule no longer set. A run the bot missed by more than a
day is skipped; the next one is kept.
"""

from __future__ import annotations

from datetime import datetime

from gridbot.domain.digests import (
    SCHEDULES,
    STALE_AFTER,
    DigestSource,
    digest_period,
    next_digest_at,
    publishing_unit,
)
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.services.common import schedule
from gridbot.services.context import Context
from gridbot.services.digests.compose import draft_digest, post_digest
from gridbot.services.ports import UnitOfWork


async def ensure_digests(ctx: Context) -> int:
    """At start-up: the next run of each schedule that is set and has none pending; the
    pending runs of a schedule no longer set are dropped. Returns how many were added."""
    wanted = {str(s) for s in ctx.timing.digests}
    now = ctx.clock.now()
    added = 0
    async with ctx.writing() as uow:
        for ref in await uow.due.pending_refs(DueKind.DIGEST):
            if ref not in wanted:
                await uow.due.cancel(DueKind.DIGEST, ref)
        for source in SCHEDULES:
            if source in ctx.timing.digests and not await uow.due.pending(DueKind.DIGEST, source):
                await schedule(uow, DueKind.DIGEST, source, next_digest_at(source, now, ctx.tz))
                added += 1
        await uow.commit()
    return added


async def on_digest(item: DueItem, uow: UnitOfWork, ctx: Context) -> None:
    """The due scheduler's job: this run's digests (unless far too late), then the next."""
    try:
        source = DigestSource(item.ref)
    except ValueError:
        return  # not a schedule: nothing to continue
    if source not in SCHEDULES or source not in ctx.timing.digests:
        return  # turned off: this chain ends
    now = ctx.clock.now()
    if now - item.due_at <= STALE_AFTER:
        await publish_scheduled(uow, ctx, source, item.due_at, now)
    await schedule(uow, DueKind.DIGEST, source, next_digest_at(source, now, ctx.tz))


async def publish_scheduled(
    uow: UnitOfWork, ctx: Context, source: DigestSource, due_at: datetime, now: datetime
) -> int:
    """The digests of the run due at ``due_at``: one per unit that publishes to residents'
    groups and had anything in the period. Returns how many units published."""
    org = await ctx.org.current(uow)
    period = digest_period(source, due_at, ctx.tz)
    units = {
        unit.code: unit
        for binding in await uow.digests.audience(None)
        if (unit := publishing_unit(org.tree, binding.unit_code)) is not None
    }
    published = 0
    for code in sorted(units):
        draft = await draft_digest(uow, ctx, org, units[code], period, now)
        if draft.empty or not draft.groups:
            continue
        if await post_digest(uow, ctx, draft, source, due_at) is not None:
            published += 1
    return published
