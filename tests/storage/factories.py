"""A small org to hang cases on, written through the repositories themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gridbot.domain.case import Case, CaseKind
from gridbot.domain.org import Category, GridKind, OrgUnit, Person, Role, UnitLevel
from gridbot.storage.database import Database

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
GRID = "DL-WX-LY-01"
UNITS = (
    OrgUnit("DL", "东丽区", UnitLevel.DISTRICT),
    OrgUnit("DL-WX", "万新街道", UnitLevel.STREET, parent_code="DL"),
    OrgUnit("DL-WX-LY", "临月里社区", UnitLevel.COMMUNITY, parent_code="DL-WX"),
    OrgUnit(GRID, "临月里第一网格", UnitLevel.GRID, "DL-WX-LY", GridKind.RESIDENTIAL, "j1", "b1"),
)


@dataclass(frozen=True)
class Seed:
    grid: str
    category: str
    reporter_id: int
    worker_id: int


async def seed_org(db: Database) -> Seed:
    async with db.uow() as uow:
        for unit in UNITS:
            await uow.org.save_unit(unit)
        await uow.categories.save(Category("env", "环境卫生", Role.GRID_WORKER))
        reporter = await uow.people.save(Person("李娜", telegram_id=2001))
        worker = await uow.people.save(Person("张伟", phone="13800000001", telegram_id=1001))
        await uow.commit()
    assert reporter.id is not None and worker.id is not None
    return Seed(GRID, "env", reporter.id, worker.id)


def make_case(seed: Seed, number: str, minutes: int = 0, **changes: object) -> Case:
    case = Case(
        number=number,
        kind=CaseKind.ISSUE,
        category_code=seed.category,
        text="路灯不亮",
        reporter_id=seed.reporter_id,
        grid_code=seed.grid,
        created_at=T0 + timedelta(minutes=minutes),
        unit_code=seed.grid,
    )
    for name, value in changes.items():
        setattr(case, name, value)
    return case
