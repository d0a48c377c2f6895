from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from gridbot.domain.care import CareCategory, CarePerson, CareVisit, PointsEntry, VisitOutcome
from gridbot.storage.database import Database
from gridbot.storage.engine import create_engine
from gridbot.storage.migrate import downgrade, upgrade

from .factories import T0, Seed, make_case


def care_person(seed: Seed, name: str = "赵奶奶", **changes: object) -> CarePerson:
    values: dict[str, object] = {
        "name": name,
        "grid_code": seed.grid,
        "category": CareCategory.ELDERLY_ALONE,
        "worker_id": seed.worker_id,
        "visit_interval_days": 14,
        "address": "3-2-101",
        "phone": "13900000000",
        "added_at": T0,
        "next_visit_at": T0 + timedelta(days=14),
    }
    values.update(changes)
    return CarePerson(**values)  # type: ignore[arg-type]


async def test_care_people_and_visits_round_trip(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        saved = await uow.care.add_person(care_person(seed, ref="LY01-001"))
        assert saved.id is not None
        case = await uow.cases.add(make_case(seed, "2026-000001"))
        first = await uow.care.add_visit(CareVisit(saved.id, seed.worker_id, T0, "身体不错"))
        later = CareVisit(
            saved.id, seed.worker_id, T0 + timedelta(days=9), "漏雨", VisitOutcome.NEEDS_HELP, "p1"
        )
        second = await uow.care.add_visit(later)
        assert second.id is not None and case.id is not None
        assert await uow.care.link_case(second.id, case.id)
        assert not await uow.care.link_case(second.id, case.id)  # the first case stays
        await uow.commit()
    async with db.reader() as uow:
        (mine,) = await uow.care.by_worker(seed.worker_id)
        visits = await uow.care.visits_of(saved.id)
        (latest,) = await uow.care.visits_of(saved.id, limit=1)
    assert mine == saved and mine.category == CareCategory.ELDERLY_ALONE and mine.ref == "LY01-001"
    assert [v.note for v in visits] == ["漏雨", "身体不错"]  # latest first
    assert latest.outcome == VisitOutcome.NEEDS_HELP and latest.photo == "p1"
    assert latest.case_id == case.id and first.case_id is None


async def test_an_update_keeps_the_row_and_a_removed_person_leaves_the_lists(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        one = await uow.care.add_person(care_person(seed, next_visit_at=T0 + timedelta(days=3)))
        two = await uow.care.add_person(care_person(seed, "钱爷爷", next_visit_at=T0))
        await uow.care.add_person(care_person(seed, "孙小明", next_visit_at=None))
        await uow.commit()
    async with db.reader() as uow:
        names = [p.name for p in await uow.care.of_grid(seed.grid)]
        due = [p.name for p in await uow.care.due_by(T0 + timedelta(days=3))]
        early = await uow.care.due_by(T0 - timedelta(seconds=1), seed.worker_id)
    assert names == ["钱爷爷", "赵奶奶", "孙小明"]  # soonest first, unscheduled last
    assert due == ["钱爷爷", "赵奶奶"] and early == []
    assert two.id is not None and one.id is not None
    async with db.uow() as uow:
        locked = await uow.care.get_person(two.id, lock=True)
        assert locked is not None
        locked.removed_at = T0
        await uow.care.update_person(locked)
        await uow.commit()
    async with db.reader() as uow:
        assert [p.name for p in await uow.care.of_grid(seed.grid)] == ["赵奶奶", "孙小明"]
        assert [p.name for p in await uow.care.due_by(T0 + timedelta(days=9))] == ["赵奶奶"]
        assert (await uow.care.get_person(two.id)) == locked  # still there, removed


async def test_a_reimport_matches_by_ref_else_by_name_on_the_grid(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        by_ref = await uow.care.add_person(care_person(seed, ref="A-1"))
        by_name = await uow.care.add_person(care_person(seed, "钱爷爷"))
        await uow.commit()
    async with db.reader() as uow:
        assert await uow.care.match("A-1", "elsewhere", "another name") == by_ref
        assert await uow.care.match(None, seed.grid, "钱爷爷") == by_name
        assert await uow.care.match("B-2", seed.grid, "钱爷爷") == by_name  # a ref given now
        assert await uow.care.match(None, seed.grid, "赵奶奶") is None  # that one has a ref
        assert await uow.care.match(None, seed.grid, "nobody") is None


async def test_two_people_may_not_share_a_ledger_ref(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        await uow.care.add_person(care_person(seed, ref="A-1"))
        with pytest.raises(sa.exc.IntegrityError):
            await uow.care.add_person(care_person(seed, "钱爷爷", ref="A-1"))


async def test_points_add_up(db: Database, seed: Seed) -> None:
    async with db.uow() as uow:
        assert await uow.care.points_of(seed.worker_id) == 0
        await uow.care.add_points(PointsEntry(seed.worker_id, 5, "wish fulfilled", T0))
        await uow.care.add_points(PointsEntry(seed.worker_id, 3, "wish fulfilled", T0))
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.care.points_of(seed.worker_id) == 8


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'care.db'}"
    url: str = request.getfixturevalue("empty_pg_url")
    return url


async def test_migration_0007_turns_a_reason_into_a_category_and_schedules_the_next_visit(
    empty_url: str,
) -> None:
    """Rows written before 0007: the reason becomes the category where it names one, the
    next visit is counted from the last one, and going down gives the reason back."""
    await asyncio.to_thread(upgrade, empty_url, "0006")
    engine = create_engine(empty_url)
    statements = [
        "INSERT INTO org_units (id, code, name, level, join_token, bind_token)"
        " VALUES (1, 'G', '网格', 'grid', 'j', 'b')",
        "INSERT INTO people (id, name, blocked_bot) VALUES (1, '张伟', FALSE)",
        "INSERT INTO care_people (name, grid_code, reason, worker_id, visit_interval_days,"
        " last_visit_at) VALUES ('赵奶奶', 'G', 'disabled', 1, 7, '2026-03-01 02:00:00')",
        "INSERT INTO care_people (name, grid_code, reason, worker_id, visit_interval_days)"
        " VALUES ('钱爷爷', 'G', 'lives alone', 1, 14)",
    ]
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
        await asyncio.to_thread(upgrade, empty_url, "0007")
        async with engine.connect() as connection:
            rows = (
                await connection.exec_driver_sql(
                    "SELECT category, next_visit_at, added_at FROM care_people ORDER BY id"
                )
            ).all()
        assert rows[0][0] == "disabled" and str(rows[0][1]).startswith("2026-03-08 02:00")
        assert rows[1][0] == "other" and rows[1][1] is not None and rows[1][2] is not None
        await asyncio.to_thread(downgrade, empty_url, "0006")
        async with engine.connect() as connection:
            reasons = (
                await connection.exec_driver_sql("SELECT reason FROM care_people ORDER BY id")
            ).scalars()
            assert list(reasons) == ["disabled", "other"]
    finally:
        await engine.dispose()
