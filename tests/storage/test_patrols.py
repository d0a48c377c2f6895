"""Patrols, the wish queries and pending due items, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridbot.domain.case import CaseKind, CaseStatus
from gridbot.domain.errors import PatrolUnderWay
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.domain.patrol import Patrol
from gridbot.storage.database import Database

from .factories import T0, Seed, make_case


async def test_a_patrol_is_stored_found_while_open_and_updated(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        patrol = await uow.patrols.add(Patrol(seed.worker_id, seed.grid, T0))
        await uow.commit()
    assert patrol.id is not None
    async with db.uow() as uow:
        found = await uow.patrols.open_for(seed.worker_id)
        assert found == patrol
        found.hazards, found.fixed_on_spot, found.ended_at = 3, 2, T0 + timedelta(hours=1)
        await uow.patrols.update(found)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.patrols.open_for(seed.worker_id) is None
        (ended,) = await uow.patrols.of_person(seed.worker_id)
    assert (ended.hazards, ended.fixed_on_spot, ended.ended_at) == (3, 2, T0 + timedelta(hours=1))


async def test_a_second_open_patrol_of_one_person_is_refused_but_ended_ones_stay(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        await uow.patrols.add(Patrol(seed.worker_id, seed.grid, T0, ended_at=T0))
        await uow.patrols.add(Patrol(seed.worker_id, seed.grid, T0 + timedelta(hours=2)))
        with pytest.raises(PatrolUnderWay):
            await uow.patrols.add(Patrol(seed.worker_id, seed.grid, T0 + timedelta(hours=3)))
        await uow.patrols.add(Patrol(seed.reporter_id, seed.grid, T0))  # someone else
        await uow.commit()
    async with db.uow() as uow:
        assert len(await uow.patrols.of_person(seed.worker_id)) == 2


async def test_cases_are_found_by_kind_grid_and_status_and_locked_for_update(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        wish = await uow.cases.add(make_case(seed, "2026-000001", kind=CaseKind.WISH))
        await uow.cases.add(make_case(seed, "2026-000002"))  # an issue
        await uow.cases.add(
            make_case(seed, "2026-000003", 5, kind=CaseKind.WISH, status=CaseStatus.APPROVED)
        )
        await uow.commit()
    assert wish.id is not None
    async with db.uow() as uow:
        found = await uow.cases.in_grids(CaseKind.WISH, [seed.grid], [CaseStatus.SUBMITTED])
        assert [c.number for c in found] == ["2026-000001"]
        assert await uow.cases.in_grids(CaseKind.WISH, ["elsewhere"], list(CaseStatus)) == []
        assert await uow.cases.in_grids(CaseKind.WISH, [], list(CaseStatus)) == []
        locked = await uow.cases.get_for_update(wish.id)
        assert locked is not None and locked.number == "2026-000001"
        assert await uow.cases.get_for_update(wish.id + 100) is None


async def test_pending_due_items_of_a_kind_and_ref_leave_out_done_ones(db: Database) -> None:
    kind = DueKind.PATROL_REMINDER
    async with db.uow() as uow:
        done = await uow.due.add(DueItem(kind, T0, "09:00"))
        later = await uow.due.add(DueItem(kind, T0 + timedelta(days=1), "09:00"))
        await uow.due.add(DueItem(kind, T0, "15:00"))
        assert done.id is not None
        await uow.due.mark_done(done.id, T0)
        await uow.commit()
    async with db.uow() as uow:
        assert [i.id for i in await uow.due.pending(kind, "09:00")] == [later.id]
        assert await uow.due.pending(DueKind.DIGEST, "09:00") == []
