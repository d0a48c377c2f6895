"""The exports read the database on SQLite and on PostgreSQL; the town of the statistics'
tests (tests/stats/town.py), with supervisors and one case full of personal details."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from demo_town import FixedClock, context
from gridbot.domain.case import Case, CaseKind, CaseLevel, CaseStatus, Location
from gridbot.domain.org import Person, Role, RoleAssignment
from gridbot.services.context import Actor, Context
from gridbot.services.membership import load_actor
from gridbot.services.orgcache import OrgCache
from gridbot.storage.database import Database
from stats.town import G1, NOW, build_town, nov

STREET_SUPERVISOR, DISTRICT_SUPERVISOR, OTHER_STREET_SUPERVISOR = 3001, 3002, 3003
# What must never reach a workbook: names, phones, an address, the text of a case.
PERSONAL = ("王芳", "13912345678", "13800000001", "临月里5号楼", "漏水", "李桂兰", "张伟")


@dataclass
class Town:
    db: Database
    ctx: Context
    ids: dict[str, int]

    async def actor(self, telegram_id: int) -> Actor | None:
        async with self.db.reader() as uow:
            return await load_actor(uow, telegram_id, OrgCache())


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest) -> Database:
    fixture = "database" if request.param == "sqlite" else "pg_database"
    database: Database = request.getfixturevalue(fixture)
    return database


@pytest.fixture
async def town(db: Database) -> Town:
    ids = await build_town(db)
    async with db.uow() as uow:
        for telegram_id, name, unit in (
            (STREET_SUPERVISOR, "宋涛", "DL-WX"),
            (DISTRICT_SUPERVISOR, "唐海", "DL"),
            (OTHER_STREET_SUPERVISOR, "周明", "DL-HP"),
        ):
            person = await uow.people.save(Person(name, telegram_id=telegram_id))
            assert person.id is not None
            await uow.people.add_role(RoleAssignment(person.id, Role.SUPERVISOR, unit))
        reporter = await uow.people.save(Person("王芳", phone="13800000001", telegram_id=2002))
        leak = Case(
            number="2026-000900",
            kind=CaseKind.ISSUE,
            category_code="env",
            text="王芳说临月里5号楼2单元301漏水，电话13912345678",
            reporter_id=reporter.id,
            grid_code=G1,
            created_at=nov(18, 0, 30),  # 16:30 UTC on the 17th: the 18th's, locally
            status=CaseStatus.SUBMITTED,
            level=CaseLevel.GRID,
            unit_code=G1,
            respond_by=nov(18, 2, 30),
            resolve_by=nov(20, 23, 59, 59),
            location=Location(31.2, 121.5, "临月里5号楼2单元301"),
        )
        saved = await uow.cases.add(leak)
        assert saved.id is not None
        ids["leak"] = saved.id
        await uow.commit()
    return Town(db, context(db, FixedClock(NOW)), ids)
