"""逐级呼叫: an unanswered or unresolved case reminds its assignee, then calls up the chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from gridbot.bot.config import Settings
from gridbot.bot.jobs import register_jobs
from gridbot.bot.scheduler import DueScheduler
from gridbot.domain.case import Priority
from gridbot.domain.messaging import DueKind
from gridbot.services.cases import ViewCase, case_view
from gridbot.services.workflow import (
    AcceptCase,
    accept_case,
    on_resolve_deadline,
    on_respond_deadline,
)

from .conftest import COMMUNITY, DISPATCHER, LEADER, RESIDENT, TZ, WORKER, Desk

HANDLERS = {
    DueKind.RESPOND_DEADLINE: on_respond_deadline,
    DueKind.RESOLVE_DEADLINE: on_resolve_deadline,
}


async def fire(desk: Desk, kind: DueKind) -> int:
    """Run the due items of ``kind`` that are due now, as a scheduler tick would."""
    fired = 0
    for item in await desk.due(kind):
        if item.due_at > desk.clock.now():
            continue
        async with desk.db.uow() as uow:
            await HANDLERS[kind](item, uow, desk.ctx)
            assert item.id is not None
            await uow.due.mark_done(item.id, desk.clock.now())
            await uow.commit()
        fired += 1
    return fired


async def test_an_unanswered_case_calls_up_the_chain_one_step_at_a_time(desk: Desk) -> None:
    case = await desk.report()
    assert case.respond_by is not None
    chain = (LEADER, COMMUNITY, DISPATCHER)
    before = [len(await desk.texts(p)) for p in chain]  # the leader was copied on the new case
    desk.clock.at = case.respond_by
    called: list[int] = []

    for person in (WORKER, LEADER, COMMUNITY, DISPATCHER):
        assert await fire(desk, DueKind.RESPOND_DEADLINE) == 1
        called.append(person)
        desk.clock.advance(minutes=30)

    assert await fire(desk, DueKind.RESPOND_DEADLINE) == 0
    assert await desk.due(DueKind.RESPOND_DEADLINE) == []
    after = [len(await desk.texts(p)) for p in chain]
    # The leader is the grid's branch secretary too: copied on the overdue case, then called.
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 1, 1]
    assert "已超时：未按时接单" in (await desk.texts(LEADER))[-2]
    assert "等待您接单" in (await desk.texts(WORKER))[-1]
    assert "尚未接单" in (await desk.texts(DISPATCHER))[-1]
    chased = [
        (e.action, e.at) for e in await desk.events(case.id) if e.action in ("remind", "call_up")
    ]
    start = case.respond_by
    assert chased == [
        ("remind", start),
        ("call_up", start + timedelta(minutes=30)),
        ("call_up", start + timedelta(minutes=60)),
        ("call_up", start + timedelta(minutes=90)),
    ]


async def test_an_urgent_case_is_called_up_every_ten_minutes(desk: Desk) -> None:
    case = await desk.report(priority=Priority.URGENT)
    assert case.respond_by is not None
    desk.clock.at = case.respond_by

    await fire(desk, DueKind.RESPOND_DEADLINE)

    (step,) = await desk.due(DueKind.RESPOND_DEADLINE)
    assert step.due_at == case.respond_by + timedelta(minutes=10)
    assert step.payload["step"] == 1


async def test_a_case_accepted_in_time_is_not_chased(desk: Desk) -> None:
    case = await desk.report()
    (item,) = await desk.due(DueKind.RESPOND_DEADLINE)
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    sent = len(await desk.outbox())
    desk.clock.at = item.due_at

    async with desk.db.uow() as uow:  # a stale item, as if it had been claimed already
        await on_respond_deadline(item, uow, desk.ctx)
        await uow.commit()

    assert len(await desk.outbox()) == sent
    assert "remind" not in await desk.actions(case.id)


async def test_quiet_hours_defer_a_normal_reminder_to_seven_in_the_morning(desk: Desk) -> None:
    desk.clock.at = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # 21:00 in Shanghai
    case = await desk.report()
    assert case.respond_by is not None
    desk.clock.at = case.respond_by  # 23:00
    sent = len(await desk.texts(WORKER))

    await fire(desk, DueKind.RESPOND_DEADLINE)

    assert len(await desk.texts(WORKER)) == sent
    (deferred,) = await desk.due(DueKind.RESPOND_DEADLINE)
    assert deferred.due_at == datetime(2026, 3, 2, 23, 0, tzinfo=UTC)  # 07:00 next day
    assert deferred.payload.get("step", 0) == 0
    desk.clock.at = deferred.due_at
    await fire(desk, DueKind.RESPOND_DEADLINE)
    assert len(await desk.texts(WORKER)) == sent + 1


async def test_an_urgent_reminder_is_sent_even_at_night(desk: Desk) -> None:
    desk.clock.at = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai
    case = await desk.report(priority=Priority.URGENT)
    assert case.respond_by is not None
    desk.clock.at = case.respond_by
    sent = len(await desk.texts(WORKER))

    await fire(desk, DueKind.RESPOND_DEADLINE)

    assert len(await desk.texts(WORKER)) == sent + 1


async def test_an_unresolved_case_reminds_the_assignee_after_its_resolve_deadline(
    desk: Desk,
) -> None:
    case = await desk.report()
    await desk.run(accept_case, AcceptCase, WORKER, case.id)
    assert case.resolve_by is not None
    desk.clock.at = case.resolve_by  # 23:59:59 local: the reminder waits for the morning
    assert await fire(desk, DueKind.RESOLVE_DEADLINE) == 1
    (morning,) = await desk.due(DueKind.RESOLVE_DEADLINE)
    assert morning.due_at == datetime(2026, 3, 4, 23, 0, tzinfo=UTC)
    desk.clock.at = morning.due_at

    assert await fire(desk, DueKind.RESOLVE_DEADLINE) == 1

    assert "尚未办结" in (await desk.texts(WORKER))[-1]
    last = (await desk.events(case.id))[-1]
    assert (last.action, last.note) == ("remind", "resolve_deadline")
    (step,) = await desk.due(DueKind.RESOLVE_DEADLINE)
    assert step.payload["step"] == 1


async def test_the_scheduler_tick_runs_the_chase(desk: Desk) -> None:
    case = await desk.report()
    assert case.respond_by is not None
    copied = len(await desk.texts(LEADER))  # as branch secretary, on the new case
    scheduler = DueScheduler(desk.db.uow, desk.clock)
    for kind, handler in HANDLERS.items():
        scheduler.register(kind, partial(handler, ctx=desk.ctx))
    desk.clock.at = case.respond_by

    assert await scheduler.tick() == 1
    desk.clock.advance(minutes=30)
    assert await scheduler.tick() == 1
    assert await scheduler.tick() == 0  # each step once

    assert len(await desk.texts(LEADER)) == copied + 2  # the secretary's line, the call-up
    assert [a for a in await desk.actions(case.id) if a in ("remind", "call_up")] == [
        "remind",
        "call_up",
    ]


async def test_the_running_bot_registers_both_deadline_jobs(desk: Desk) -> None:
    settings = Settings(_env_file=None, BOT_TOKEN="42:TEST", GRIDBOT_TZ=TZ.key)  # type: ignore[call-arg]
    case = await desk.report()
    assert case.respond_by is not None
    scheduler = DueScheduler(desk.db.uow, desk.clock)
    register_jobs(scheduler, desk.ctx, settings)
    desk.clock.at = case.respond_by

    assert await scheduler.tick() == 1

    assert "remind" in await desk.actions(case.id)


async def test_the_reporter_does_not_see_who_was_chased_but_the_handler_does(desk: Desk) -> None:
    case = await desk.report()
    assert case.respond_by is not None and case.id is not None
    desk.clock.at = case.respond_by
    for _ in range(2):
        assert await fire(desk, DueKind.RESPOND_DEADLINE) == 1
        desk.clock.advance(minutes=30)
    mine = await case_view(ViewCase(await desk.actor(RESIDENT), case.id), desk.ctx)
    handler = await case_view(ViewCase(await desk.actor(WORKER), case.id), desk.ctx)
    chased = {"remind", "call_up"}
    assert not chased & {e.action for e in mine.events}
    assert chased <= {e.action for e in handler.events}
