"""Concurrent units of work: no lost writes, no "database is locked", no double claims."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.org import Person
from gridbot.storage.database import Database

from .factories import T0


async def test_twenty_concurrent_writers_all_succeed(db: Database) -> None:
    async def writer(n: int) -> None:
        async with db.uow() as uow:
            # Read first, then write: the pattern that fails with a deferred BEGIN.
            assert await uow.people.by_telegram_id(n) is None
            await asyncio.sleep(0)
            await uow.people.save(Person(f"p{n}", telegram_id=n))
            await uow.commit()

    await asyncio.gather(*(writer(n) for n in range(20)))
    async with db.uow() as uow:
        found = [await uow.people.by_telegram_id(n) for n in range(20)]
    assert all(found)


async def test_concurrent_case_numbers_have_no_gaps_even_with_rollbacks(db: Database) -> None:
    async def take_number(commit: bool) -> str | None:
        async with db.uow() as uow:
            number = await uow.cases.next_number(2026)
            await asyncio.sleep(0.001)
            if commit:
                await uow.commit()
                return number
            return None

    taken = await asyncio.gather(*(take_number(n % 2 == 0) for n in range(20)))
    committed = sorted(n for n in taken if n)
    assert committed == [f"2026-{n:06d}" for n in range(1, 11)]


async def schedule(db: Database, count: int) -> set[int]:
    async with db.uow() as uow:
        items = [
            await uow.due.add(DueItem(DueKind.FOLLOW_UP, T0 + timedelta(seconds=n), f"c{n}"))
            for n in range(count)
        ]
        await uow.commit()
    return {item.id for item in items if item.id is not None}


async def test_two_concurrent_claimers_get_disjoint_sets_covering_every_item(
    db: Database,
) -> None:
    every = await schedule(db, 120)

    async def claimer(worker: str) -> list[int]:
        claimed: list[int] = []
        while True:
            async with db.uow() as uow:
                batch = await uow.due.claim_due(T0 + timedelta(hours=1), worker, limit=7)
                await asyncio.sleep(0.001)  # hold the claim open while the other one runs
                await uow.commit()
            if not batch:
                return claimed
            claimed += [item.id for item in batch if item.id is not None]

    first, second = await asyncio.gather(claimer("a"), claimer("b"))
    assert not set(first) & set(second)
    assert set(first) | set(second) == every
    assert len(first) + len(second) == len(every)


async def test_postgres_claimers_skip_rows_locked_by_an_open_claim(db: Database) -> None:
    if db.backend != "postgresql":
        pytest.skip("SQLite serialises writers: a second claim waits for the first")
    every = await schedule(db, 10)
    now = T0 + timedelta(hours=1)
    async with db.uow() as holder:
        held = await holder.due.claim_due(now, "a", limit=4)
        async with db.uow() as other:
            taken = await other.due.claim_due(now, "b", limit=10)
            await other.commit()
        await holder.commit()
    assert {i.id for i in held} | {i.id for i in taken} == every
    assert len(held) == 4 and len(taken) == 6
