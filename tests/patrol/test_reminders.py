"""一日双巡: reminders at the configured local times, each sent once, then the next one."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from pydantic import ValidationError

from gridbot.bot.config import Settings
from gridbot.bot.jobs import register_jobs, start_patrol_reminders
from gridbot.bot.scheduler import DueScheduler
from gridbot.domain.messaging import DueKind
from gridbot.domain.patrol import next_occurrence, parse_patrol_times

from .conftest import GRID_WORKERS, TZ, Town

MORNING, AFTERNOON = time(9), time(15)


def settings(times: str = "09:00,15:00") -> Settings:
    return Settings(GRIDBOT_TZ=TZ.key, GRIDBOT_PATROL_TIMES=times)  # type: ignore[call-arg]


def scheduler_for(town: Town, config: Settings) -> DueScheduler:
    scheduler = DueScheduler(town.uow, town.clock)
    register_jobs(scheduler, town.ctx, config)
    return scheduler


async def reminders(town: Town) -> list[tuple[str, datetime]]:
    return [
        (i.ref, i.due_at)
        for i in await town.due_items()
        if i.kind == DueKind.PATROL_REMINDER and i.done_at is None
    ]


async def test_the_first_reminders_fall_on_the_next_configured_local_times(town: Town) -> None:
    # 10:00 in Shanghai: today's 15:00 and tomorrow's 09:00.
    assert await start_patrol_reminders(town.ctx, settings()) == 2
    assert sorted(await reminders(town)) == [
        ("09:00", datetime(2026, 3, 3, 1, 0, tzinfo=UTC)),
        ("15:00", datetime(2026, 3, 2, 7, 0, tzinfo=UTC)),
    ]
    assert await start_patrol_reminders(town.ctx, settings()) == 0  # a restart


async def test_each_reminder_reaches_every_on_duty_grid_worker_once_then_the_next_is_due(
    town: Town,
) -> None:
    config = settings()
    await start_patrol_reminders(town.ctx, config)
    scheduler = scheduler_for(town, config)
    town.clock.at = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 15:00 local
    assert await scheduler.tick() == 1
    assert await scheduler.tick() == 0

    sent = await town.outbox()
    async with town.uow() as uow:
        people = [await uow.people.by_telegram_id(t) for t in GRID_WORKERS]
    assert sorted(m.chat_id for m in sent) == sorted(GRID_WORKERS)
    zhang = next(m for m in sent if m.chat_id == 1001).params["text"]
    assert "15:00" in zhang and "临月里第一网格" in zhang and "/patrol" in zhang
    assert all(p is not None for p in people)
    assert sorted(await reminders(town)) == [
        ("09:00", datetime(2026, 3, 3, 1, 0, tzinfo=UTC)),
        ("15:00", datetime(2026, 3, 3, 7, 0, tzinfo=UTC)),
    ]


async def test_a_reminder_run_hours_late_is_not_sent_but_the_next_one_is_scheduled(
    town: Town,
) -> None:
    config = settings("15:00")
    await start_patrol_reminders(town.ctx, config)
    town.clock.at = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 20:00 local: the bot was down
    assert await scheduler_for(town, config).tick() == 1
    assert await town.outbox() == []
    assert await reminders(town) == [("15:00", datetime(2026, 3, 3, 7, 0, tzinfo=UTC))]


async def test_a_time_dropped_from_the_settings_ends_its_reminders(town: Town) -> None:
    await start_patrol_reminders(town.ctx, settings())
    town.clock.at = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    assert await scheduler_for(town, settings("15:00")).tick() == 2
    # 09:00 is no longer configured; yesterday's 15:00 is long past: neither is sent.
    assert await reminders(town) == [("15:00", datetime(2026, 3, 3, 7, 0, tzinfo=UTC))]
    assert await town.outbox() == []


def test_patrol_times_are_read_sorted_and_checked() -> None:
    assert settings("15:00, 9:00,09:00").patrol_times == (MORNING, AFTERNOON)
    assert settings().patrol_times_text == "09:00,15:00"
    assert settings("").patrol_times == ()
    for bad in ("9", "25:00", "09:60", "nine", "09:00;15:00"):
        with pytest.raises(ValidationError):
            settings(bad)
    assert parse_patrol_times("07:30") == (time(7, 30),)


def test_the_next_occurrence_is_strictly_after_the_given_moment() -> None:
    at_nine = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 local
    assert next_occurrence(MORNING, at_nine, TZ) == datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    assert next_occurrence(AFTERNOON, at_nine, TZ) == datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
