from __future__ import annotations

import asyncio
from datetime import timedelta

from gridbot.bot.scheduler import DueScheduler, make_worker_id
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.services.common import schedule
from gridbot.services.ports import UnitOfWork

from .fakes import T0, FakeClock, FakeUnitOfWork, Store, uow_factory
from .helpers import enqueue_text


async def add_items(store: Store, kind: DueKind, refs: list[str], due_at=T0) -> None:  # type: ignore[no-untyped-def]
    async with FakeUnitOfWork(store) as uow:
        for ref in refs:
            await schedule(uow, kind, ref, due_at, {"chat_id": 5})
        await uow.commit()


def remind(clock: FakeClock, seen: list[str]):  # type: ignore[no-untyped-def]
    async def handler(item: DueItem, uow: UnitOfWork) -> None:
        seen.append(item.ref)
        await enqueue_text(uow, clock, item.payload["chat_id"], f"reminder {item.ref}")

    return handler


async def test_a_tick_runs_due_items_and_commits_their_messages_with_the_done_mark() -> None:
    store, clock, seen = Store(), FakeClock(), []
    await add_items(store, DueKind.RESPOND_DEADLINE, ["2026-000001", "2026-000002"])
    await add_items(store, DueKind.RESPOND_DEADLINE, ["later"], due_at=T0 + timedelta(hours=1))
    scheduler = DueScheduler(uow_factory(store), clock)
    scheduler.register(DueKind.RESPOND_DEADLINE, remind(clock, seen))
    assert await scheduler.tick() == 2
    assert seen == ["2026-000001", "2026-000002"]
    assert sorted(m.params["text"] for m in store.outbox.values()) == [
        "reminder 2026-000001",
        "reminder 2026-000002",
    ]
    done = {i.ref: i.done_at for i in store.due.values()}
    assert done == {"2026-000001": T0, "2026-000002": T0, "later": None}
    assert await scheduler.tick() == 0


async def test_a_failing_handler_is_rolled_back_and_retried_after_the_delay() -> None:
    store, clock, seen = Store(), FakeClock(), []
    await add_items(store, DueKind.FOLLOW_UP, ["good", "bad", "also good"])
    failures = [2]  # once in its chunk, once on its own

    async def flaky(item: DueItem, uow: UnitOfWork) -> None:
        await remind(clock, seen)(item, uow)
        if item.ref == "bad" and failures[0]:
            failures[0] -= 1
            raise RuntimeError("template missing")

    scheduler = DueScheduler(uow_factory(store), clock, retry_after=timedelta(minutes=2))
    scheduler.register(DueKind.FOLLOW_UP, flaky)
    await scheduler.tick()
    texts = sorted(m.params["text"] for m in store.outbox.values())
    assert texts == ["reminder also good", "reminder good"]  # the bad one left nothing behind
    bad = next(i for i in store.due.values() if i.ref == "bad")
    assert (bad.done_at, bad.claimed_by) == (None, scheduler.worker_id)

    clock.advance(minutes=1)
    assert await scheduler.tick() == 0  # still claimed: not yet stale
    clock.advance(minutes=1, seconds=1)
    assert await scheduler.tick() == 1
    assert all(i.done_at is not None for i in store.due.values())
    assert len(store.outbox) == 3


async def test_an_item_of_a_kind_nobody_handles_waits_unclaimed_for_its_handler() -> None:
    store, clock, seen = Store(), FakeClock(), []
    await add_items(store, DueKind.DIGEST, ["DL-WX"])
    without = DueScheduler(uow_factory(store), clock)
    assert await without.tick() == 0
    (item,) = store.due.values()
    assert item.claimed_by is None and item.done_at is None
    with_handler = DueScheduler(uow_factory(store), clock)
    with_handler.register(DueKind.DIGEST, remind(clock, seen))
    assert await with_handler.tick() == 1
    assert seen == ["DL-WX"] and store.due[item.id].done_at == T0  # type: ignore[index]


async def test_items_are_handled_one_by_one_when_chunks_are_off() -> None:
    store, clock, seen = Store(), FakeClock(), []
    await add_items(store, DueKind.CARE_VISIT, [f"care-{n}" for n in range(5)])
    scheduler = DueScheduler(uow_factory(store), clock, chunk=1, batch=3)
    scheduler.register(DueKind.CARE_VISIT, remind(clock, seen))
    assert await scheduler.tick() == 3
    assert await scheduler.tick() == 2
    assert seen == [f"care-{n}" for n in range(5)]


async def test_two_schedulers_ticking_together_run_each_item_once() -> None:
    store, clock, seen = Store(), FakeClock(), []
    await add_items(store, DueKind.RATING_POLL, [f"case-{n}" for n in range(200)])
    schedulers = [DueScheduler(uow_factory(store), clock, batch=30) for _ in range(2)]
    for scheduler in schedulers:
        scheduler.register(DueKind.RATING_POLL, remind(clock, seen))
    while sum(await asyncio.gather(*(s.tick() for s in schedulers))):
        pass
    assert sorted(seen) == sorted(f"case-{n}" for n in range(200))


async def test_the_apscheduler_job_ticks_until_shutdown() -> None:
    store, clock, seen = Store(), FakeClock(), []
    await add_items(store, DueKind.PATROL_REMINDER, ["grid-1"])
    scheduler = DueScheduler(uow_factory(store), clock, interval=0.05)
    scheduler.register(DueKind.PATROL_REMINDER, remind(clock, seen))
    scheduler.start()
    try:
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.02)
    finally:
        await scheduler.shutdown()
    assert seen == ["grid-1"]


async def test_shutdown_lets_a_tick_in_progress_finish_and_commit() -> None:
    store, clock, seen = Store(), FakeClock(), []
    await add_items(store, DueKind.PATROL_REMINDER, ["grid-1"])
    started, release = asyncio.Event(), asyncio.Event()

    async def slow(item: DueItem, uow: UnitOfWork) -> None:
        started.set()
        await release.wait()
        await remind(clock, seen)(item, uow)

    scheduler = DueScheduler(uow_factory(store), clock, interval=0.05)
    scheduler.register(DueKind.PATROL_REMINDER, slow)
    scheduler.start()
    await asyncio.wait_for(started.wait(), 5)
    stopping = asyncio.create_task(scheduler.shutdown(grace=5))
    await asyncio.sleep(0.1)
    assert not stopping.done()  # waiting for the tick, not cancelling it
    release.set()
    await asyncio.wait_for(stopping, 5)
    assert seen == ["grid-1"]
    assert [m.params["text"] for m in store.outbox.values()] == ["reminder grid-1"]


async def test_shutdown_abandons_a_tick_that_outlasts_the_grace_period() -> None:
    store, clock = Store(), FakeClock()
    await add_items(store, DueKind.PATROL_REMINDER, ["grid-1"])
    started = asyncio.Event()

    async def stuck(item: DueItem, uow: UnitOfWork) -> None:
        started.set()
        await asyncio.Event().wait()

    scheduler = DueScheduler(uow_factory(store), clock, interval=0.05)
    scheduler.register(DueKind.PATROL_REMINDER, stuck)
    scheduler.start()
    await asyncio.wait_for(started.wait(), 5)
    await asyncio.wait_for(scheduler.shutdown(grace=0.1), 5)
    assert not store.outbox


def test_worker_ids_name_the_host_and_process_and_differ() -> None:
    first, second = make_worker_id(), make_worker_id()
    assert first != second
    assert first.split(":")[1] == second.split(":")[1]
