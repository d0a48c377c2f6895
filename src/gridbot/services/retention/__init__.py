"""Retention: what is finished and older than GRIDBOT_RETENTION_DAYS is dropped, every night.

Finished means, from the rows' own statuses: an outbox message ``sent``, ``failed`` (given
up) or ``unreachable`` (blocked, or the bot left the group), created before the cut-off,
except the last message delivered to each chat (the proof that the bot reaches it); a due
item with ``done_at`` before the cut-off (a cancelled one is deleted when cancelled); an
inbox update handled before the cut-off. A pending or leased message, an undone due item
(claimed or not) and an update not handled yet are never touched.

One chain of PURGE due items, like the morning brief's: ``ensure_purge`` starts it at
start-up (once, however many processes start: the items' unique key and the atomic claim
make one process run each step). Each step drops at most ``BATCH`` rows in the scheduler's
transaction, so a large backlog never holds the write lock for long; while more is left,
the next step falls due a moment later with the same cut-off, and when nothing is, the
next night's at ``PURGE_AT``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.patrol import next_occurrence
from gridbot.services.common import schedule
from gridbot.services.context import Context
from gridbot.services.ports import UnitOfWork

PURGE_AT = time(4)  # local: the quiet of the night
BATCH = 5000  # rows a step drops at most (and outbox rows it reads at most)
NEXT_STEP = timedelta(seconds=1)  # a backlog goes on at the scheduler's next tick
REF = "retention"


@dataclass(frozen=True)
class Purged:
    """What one step dropped; ``done`` when nothing older than ``before`` is left."""

    before: datetime
    outbox: int
    due_items: int
    inbox: int
    done: bool
    outbox_after: int | None = None  # where the next step goes on (None: the outbox is done)

    @property
    def total(self) -> int:
        return self.outbox + self.due_items + self.inbox


async def purge_step(
    uow: UnitOfWork, before: datetime, *, outbox_after: int | None = 0, limit: int = BATCH
) -> Purged:
    """Drop up to ``limit`` finished rows older than ``before`` in ``uow`` (not committed):
    messages first (reading at most ``limit`` of them after ``outbox_after``; None: the
    outbox is done), then due items, then handled updates, with what is left of ``limit``."""
    outbox, after = 0, None
    if outbox_after is not None:
        outbox, after = await uow.retention.purge_outbox(before, outbox_after, limit)
    left = limit - outbox
    due_items = await uow.retention.purge_due_items(before, left) if left else 0
    left -= due_items
    inbox = await uow.retention.purge_inbox(before, left) if left else 0
    done = after is None and left - inbox > 0
    return Purged(before, outbox, due_items, inbox, done, after)


async def ensure_purge(ctx: Context, keep: timedelta | None) -> bool:
    """At start-up: the next night's purge scheduled when none is pending; with ``keep``
    None (retention off) the pending ones are dropped. False when nothing was added."""
    async with ctx.writing() as uow:
        if keep is None:
            await uow.due.cancel(DueKind.PURGE, REF)
            await uow.commit()
            return False
        added = not await uow.due.pending(DueKind.PURGE, REF)
        if added:
            at = next_occurrence(PURGE_AT, ctx.clock.now(), ctx.tz)
            await schedule(uow, DueKind.PURGE, REF, at)
        await uow.commit()
    return added


async def on_purge(
    item: DueItem, uow: UnitOfWork, ctx: Context, keep: timedelta | None
) -> Purged | None:
    """The due scheduler's job: one step of the night's purge, then the next step (a
    moment later, while more is left) or the next night's. None when retention is off (the
    chain ends)."""
    if keep is None:
        return None
    now = ctx.clock.now()
    cut = item.payload.get("before")
    before = datetime.fromisoformat(cut) if isinstance(cut, str) else now - keep
    after = item.payload.get("outbox_after", 0)
    going = after if isinstance(after, int) else None
    purged = await purge_step(uow, before, outbox_after=going, limit=BATCH)
    if purged.done:
        await schedule(uow, DueKind.PURGE, REF, next_occurrence(PURGE_AT, now, ctx.tz))
    else:
        going_on = {"before": before.isoformat(), "outbox_after": purged.outbox_after}
        await schedule(uow, DueKind.PURGE, REF, max(now, item.due_at) + NEXT_STEP, going_on)
    return purged
