"""Every kind of due item has a job: the scheduler claims only the kinds it has a handler
for, so an item of a kind without one would wait for ever."""

from __future__ import annotations

from datetime import UTC, datetime

from demo_town import FixedClock, context
from gridbot.bot.config import Settings
from gridbot.bot.jobs import register_jobs
from gridbot.bot.scheduler import DueScheduler
from gridbot.domain.messaging import DueKind
from gridbot.storage.database import Database


async def test_the_running_bot_has_a_job_for_every_kind_of_due_item(database: Database) -> None:
    clock = FixedClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    scheduler = DueScheduler(database.uow, clock)
    assert scheduler.kinds == frozenset()
    register_jobs(scheduler, context(database, clock), Settings(_env_file=None))  # type: ignore[call-arg]
    assert scheduler.kinds == frozenset(DueKind)
