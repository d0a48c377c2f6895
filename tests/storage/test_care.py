from __future__ import annotations

from datetime import timedelta

from gridbot.domain.care import CarePerson, CareVisit, PointsEntry
from gridbot.storage.database import Database

from .factories import T0, Seed


async def test_care_people_and_visits_round_trip(db: Database, seed: Seed) -> None:
    person = CarePerson(
        "赵奶奶", seed.grid, "elderly living alone", seed.worker_id, 14, "3-2-101", "13900000000"
    )
    async with db.uow() as uow:
        saved = await uow.care.add_person(person)
        assert saved.id is not None
        await uow.care.add_visit(CareVisit(saved.id, seed.worker_id, T0, "身体不错"))
        await uow.care.add_visit(CareVisit(saved.id, seed.worker_id, T0 - timedelta(days=9)))
        await uow.commit()
    async with db.uow() as uow:
        (mine,) = await uow.care.by_worker(seed.worker_id)
        visits = await uow.care.visits_of(saved.id)
    assert mine.name == "赵奶奶" and mine.visit_interval_days == 14
    assert mine.last_visit_at == T0  # the later visit wins whatever the order of recording
    assert [v.note for v in visits] == [None, "身体不错"]


async def test_points_add_up(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        assert await uow.care.points_of(seed.worker_id) == 0
        await uow.care.add_points(PointsEntry(seed.worker_id, 5, "wish fulfilled", T0))
        await uow.care.add_points(PointsEntry(seed.worker_id, 3, "wish fulfilled", T0))
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.care.points_of(seed.worker_id) == 8
