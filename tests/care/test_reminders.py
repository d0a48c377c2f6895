"""Care visits falling due on the scheduler: the worker of the moment is reminded once, in
the daytime, with a button to record the visit; reminded again while the visit is not
made; nothing for a person visited or removed meanwhile; ``care_due`` lists what is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gridbot.bot.config import Settings
from gridbot.bot.jobs import register_jobs
from gridbot.bot.scheduler import DueScheduler
from gridbot.domain.messaging import ChatKind, DueItem, DueKind
from gridbot.handlers.common.callbacks import CareCallback
from gridbot.services.care import (
    CareDue,
    ReassignCare,
    RemoveCarePerson,
    care_callback,
    care_due,
    on_care_visit_due,
    reassign_care,
    remove_care_person,
)

from .conftest import (
    CHILD,
    GRANNY,
    GRID,
    LEADER,
    NINE_NEXT_MONDAY,
    OTHER_WORKER,
    TZ,
    VETERAN,
    WORKER,
    Town,
)


def scheduler_for(town: Town) -> DueScheduler:
    scheduler = DueScheduler(town.uow, town.clock)
    settings = Settings(_env_file=None, GRIDBOT_TZ=TZ.key, GRIDBOT_PATROL_TIMES="")  # type: ignore[call-arg]
    register_jobs(scheduler, town.ctx, settings)
    return scheduler


async def test_the_worker_is_reminded_once_when_the_visit_falls_due(town: Town) -> None:
    granny = await town.care_id(GRANNY)
    scheduler = scheduler_for(town)
    town.clock.at = NINE_NEXT_MONDAY - timedelta(minutes=1)
    assert await scheduler.tick() == 0
    town.clock.at = NINE_NEXT_MONDAY
    assert await scheduler.tick() == 1
    assert await scheduler.tick() == 0
    assert await scheduler_for(town).tick() == 0  # another process: nothing twice
    (reminder,) = await town.outbox(WORKER)
    assert reminder.chat_kind == ChatKind.PRIVATE
    text = reminder.params["text"]
    assert "走访提醒：赵桂英" in text and "独居老人" in text and "临月里第一网格" in text
    assert "13900003001" in text and "2026-03-09" in text
    (button,) = [b for row in reminder.params["reply_markup"]["inline_keyboard"] for b in row]
    assert button == {"text": "记录走访", "callback_data": f"cv:visit:{granny}"}
    again = [i.due_at for i in await town.care_items(granny)]
    assert again == [datetime(2026, 3, 11, 1, 0, tzinfo=UTC)]  # Wednesday 09:00


async def test_a_visit_still_not_made_is_reminded_again_two_days_later(town: Town) -> None:
    scheduler = scheduler_for(town)
    town.clock.at = NINE_NEXT_MONDAY
    await scheduler.tick()
    town.clock.at = datetime(2026, 3, 11, 1, 0, tzinfo=UTC)
    assert await scheduler.tick() == 1
    assert len(await town.outbox(WORKER)) == 2


async def test_a_reminder_run_at_night_waits_for_nine_in_the_morning(town: Town) -> None:
    granny = await town.care_id(GRANNY)
    town.clock.at = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # 22:00: the bot was down all day
    assert await scheduler_for(town).tick() == 1
    assert await town.outbox() == []
    assert [i.due_at for i in await town.care_items(granny)] == [
        datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    ]
    town.clock.at = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    assert await scheduler_for(town).tick() == 1
    assert len(await town.outbox(WORKER)) == 1


async def test_a_person_visited_early_is_not_reminded_at_the_old_time(town: Town) -> None:
    granny = await town.care_id(GRANNY)
    town.clock.at = datetime(2026, 3, 8, 3, 0, tzinfo=UTC)  # Sunday
    await town.visit(granny)
    town.clock.at = NINE_NEXT_MONDAY
    assert await scheduler_for(town).tick() == 0
    assert await town.outbox() == []
    assert [i.due_at for i in await town.care_items(granny)] == [
        datetime(2026, 3, 15, 1, 0, tzinfo=UTC)
    ]


async def test_the_reminder_follows_a_reassignment_and_stops_at_a_removal(town: Town) -> None:
    granny, child = await town.care_id(GRANNY), await town.care_id(CHILD)
    leader = await town.actor(LEADER)
    await reassign_care(ReassignCare(leader, granny, await town.person_id(LEADER)), town.ctx)
    await remove_care_person(RemoveCarePerson(leader, child), town.ctx)
    town.clock.at = NINE_NEXT_MONDAY + timedelta(days=7)
    scheduler = scheduler_for(town)
    while await scheduler.tick():
        pass
    assert await town.texts(WORKER) == []
    reminders = [t for t in await town.texts(LEADER) if "走访提醒" in t]
    assert len(reminders) == 1 and "赵桂英" in reminders[0]


async def test_a_stale_item_of_a_removed_person_sends_nothing(town: Town) -> None:
    granny = await town.care_id(GRANNY)
    await remove_care_person(RemoveCarePerson(await town.actor(LEADER), granny), town.ctx)
    town.clock.at = NINE_NEXT_MONDAY
    async with town.uow() as uow:
        item = DueItem(DueKind.CARE_VISIT, NINE_NEXT_MONDAY, str(granny))
        await on_care_visit_due(item, uow, town.ctx)
        await on_care_visit_due(DueItem(DueKind.CARE_VISIT, NINE_NEXT_MONDAY, "x"), uow, town.ctx)
        await uow.commit()
    assert await town.outbox() == [] and await town.care_items(granny) == []


async def test_care_due_lists_what_is_due_by_a_moment_soonest_first(town: Town) -> None:
    granny, child, veteran = [await town.care_person(n) for n in (GRANNY, CHILD, VETERAN)]
    async with town.db.reader() as uow:
        assert await care_due(uow, NINE_NEXT_MONDAY - timedelta(seconds=1)) == []
        week = await care_due(uow, NINE_NEXT_MONDAY + timedelta(days=7))
        zhang = await care_due(uow, NINE_NEXT_MONDAY + timedelta(days=7), granny.worker_id)
        chen = await care_due(uow, NINE_NEXT_MONDAY + timedelta(days=7), veteran.worker_id)
    assert week[0] == CareDue(
        granny.id or 0, GRANNY, GRID, "elderly_alone", NINE_NEXT_MONDAY, granny.worker_id
    )
    assert {d.name for d in week} == {GRANNY, CHILD, VETERAN}
    assert [d.name for d in zhang] == [GRANNY, CHILD]
    assert [d.name for d in chen] == [VETERAN] and chen[0].category == "disabled"
    assert child.id in [d.care_person_id for d in week]
    assert await town.person_id(OTHER_WORKER) == veteran.worker_id


def test_the_reminders_button_is_the_handlers_callback() -> None:
    largest = 2**31 - 1  # a database INTEGER: larger ids do not parse (forged data)
    assert care_callback("visit", largest) == CareCallback(action="visit", care_id=largest).pack()
    assert CareCallback.unpack(care_callback("visit", 12)) == CareCallback(
        action="visit", care_id=12
    )
