"""/visits: a worker's follow-up visits (回访) and care visits (走访) due today or overdue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from gridbot.domain.case import Case, Visit
from gridbot.domain.deadlines import end_of_local_day
from gridbot.services.care import CareDue, care_due
from gridbot.services.context import Actor, Context, known
from gridbot.services.feedback.follow_ups import follow_ups_due


@dataclass(frozen=True)
class MyVisits:
    actor: Actor | None


@dataclass(frozen=True)
class VisitsView:
    """What is due by the end of today, soonest first; ``now`` tells overdue from due."""

    follow_ups: Sequence[tuple[Visit, Case]]
    care: Sequence[CareDue]
    now: datetime


async def my_visits(cmd: MyVisits, ctx: Context) -> VisitsView:
    actor, now = known(cmd.actor), ctx.clock.now()
    until = end_of_local_day(now, ctx.tz)
    async with ctx.reading() as uow:
        follow_ups = await follow_ups_due(uow, until, actor.id)
        care = await care_due(uow, until, actor.id)
    return VisitsView(follow_ups, care, now)
