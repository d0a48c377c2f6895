"""Leases: one holder at a time, renewed by it, free again once expired or released."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from gridbot.storage.database import Database

from .factories import T0

TTL = timedelta(seconds=15)


async def acquire(db: Database, holder: str, seconds: float = 0, name: str = "job") -> bool:
    async with db.uow() as uow:
        held = await uow.leases.acquire(name, holder, T0 + timedelta(seconds=seconds), TTL)
        await uow.commit()
        return held


async def release(db: Database, holder: str, name: str = "job") -> None:
    async with db.uow() as uow:
        await uow.leases.release(name, holder)
        await uow.commit()


async def test_a_free_lease_is_taken_and_then_refused_to_others(db: Database) -> None:
    assert await acquire(db, "a")
    assert not await acquire(db, "b", seconds=1)
    assert await acquire(db, "b", name="other job")


async def test_the_holder_renews_its_lease_past_the_first_expiry(db: Database) -> None:
    assert await acquire(db, "a")
    assert await acquire(db, "a", seconds=10)
    assert not await acquire(db, "b", seconds=20)  # renewed at 10 s: held until 25 s
    assert await acquire(db, "b", seconds=26)
    assert not await acquire(db, "a", seconds=27)


async def test_an_expired_lease_goes_to_the_next_caller(db: Database) -> None:
    assert await acquire(db, "a")
    assert await acquire(db, "b", seconds=16)
    assert not await acquire(db, "a", seconds=17)


async def test_a_released_lease_is_free_at_once_and_others_cannot_release_it(
    db: Database,
) -> None:
    assert await acquire(db, "a")
    await release(db, "b")
    assert not await acquire(db, "b", seconds=1)
    await release(db, "a")
    assert await acquire(db, "b", seconds=1)


async def test_a_rolled_back_acquire_takes_nothing(db: Database) -> None:
    async with db.uow() as uow:
        assert await uow.leases.acquire("job", "a", T0, TTL)
    assert await acquire(db, "b")


async def contend(db: Database, holders: list[str], seconds: float) -> list[bool]:
    async def attempt(holder: str) -> bool:
        async with db.uow() as uow:
            at = T0 + timedelta(seconds=seconds)
            held = await uow.leases.acquire("job", holder, at, TTL)
            await asyncio.sleep(0.001)  # the transaction stays open while the others try
            await uow.commit()
            return held

    return list(await asyncio.gather(*(attempt(holder) for holder in holders)))


async def test_of_concurrent_acquirers_exactly_one_wins(db: Database) -> None:
    first = await contend(db, [f"a{n}" for n in range(10)], seconds=0)
    assert sum(first) == 1
    assert sum(await contend(db, [f"b{n}" for n in range(10)], seconds=1)) == 0
    assert sum(await contend(db, [f"c{n}" for n in range(10)], seconds=100)) == 1
