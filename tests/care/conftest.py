"""The demo org (with its care section) in a real SQLite database, a settable clock, the
real notices, and the care use cases acted by the demo's people.

Care persons of examples/demo-org.yaml: 赵桂英 (临月里第一网格, elderly living alone, every
7 days, phone 13900003001) and 孙小明 (same grid, left-behind child, every 14 days), both
visited by 1001 张伟; 钱卫国 (詹滨里第一网格, disabled, every 14 days) by 1005 陈静.
1002 王芳 leads 临月里第一网格 (and is its branch secretary); 1004 刘洋 leads the second
grid, 1003 李娜 works there; 1022 宋涛 supervises the street, 1009 周建国 is the community's
branch secretary, 2001 李桂兰 a resident of the first grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest

from demo_town import T0 as T0  # re-exported; Monday 10:00 in Shanghai
from demo_town import TZ as TZ
from demo_town import DemoTown, import_demo_org
from gridbot.domain.care import CarePerson, CareVisit
from gridbot.domain.case import Case, CaseKind
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.services.care import (
    AddCarePerson,
    CareBoard,
    CareBoardOf,
    CareCard,
    OpenCarePerson,
    RaiseFromVisit,
    RecordVisit,
    VisitRecorded,
    add_care_person,
    care_board,
    care_card,
    raise_from_visit,
    record_visit,
)
from gridbot.storage.database import Database

WORKER, LEADER, NEIGHBOUR_WORKER, NEIGHBOUR_LEADER = 1001, 1002, 1003, 1004
OTHER_WORKER, SUPERVISOR, SECRETARY, RESIDENT = 1005, 1022, 1009, 2001
GRID, NEIGHBOUR_GRID = "DL-WX-LY-01", "DL-WX-LY-02"
GRANNY, CHILD, VETERAN = "赵桂英", "孙小明", "钱卫国"
NINE_NEXT_MONDAY = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)  # the demo was imported at T0


class Town(DemoTown):
    bot_username: ClassVar[str | None] = "gridbot_test_bot"

    async def care_person(self, name: str) -> CarePerson:
        async with self.db.reader() as uow:
            for grid in (GRID, NEIGHBOUR_GRID, "DL-WX-ZB-01"):
                for person in await uow.care.of_grid(grid):
                    if person.name == name:
                        return person
        raise AssertionError(f"no care person {name}")

    async def care_id(self, name: str) -> int:
        person = await self.care_person(name)
        assert person.id is not None
        return person.id

    async def stored(self, care_id: int) -> CarePerson:
        async with self.db.reader() as uow:
            person = await uow.care.get_person(care_id)
        assert person is not None
        return person

    async def visits(self, care_id: int) -> list[CareVisit]:
        async with self.db.reader() as uow:
            return list(await uow.care.visits_of(care_id))

    async def care_items(self, care_id: int | None = None) -> list[DueItem]:
        """Undone CARE_VISIT items (of one person), soonest first."""
        found = [
            i for i in await self.due_items() if i.kind == DueKind.CARE_VISIT and i.done_at is None
        ]
        return [i for i in found if care_id is None or i.ref == str(care_id)]

    async def board(self, who: int, grid: str | None = None, page: int = 0) -> CareBoard:
        return await care_board(CareBoardOf(await self.actor(who), grid, page), self.ctx)

    async def card(self, who: int, care_id: int) -> CareCard:
        return await care_card(OpenCarePerson(await self.actor(who), care_id), self.ctx)

    async def add(self, who: int = LEADER, **changes: Any) -> CareCard:
        values: dict[str, Any] = {
            "grid_code": GRID,
            "name": "李秀兰",
            "category": "disabled",
            "interval_days": 3,
            "worker_id": await self.person_id(WORKER),
        }
        values.update(changes)
        return await add_care_person(AddCarePerson(await self.actor(who), **values), self.ctx)

    async def visit(
        self,
        care_id: int,
        who: int = WORKER,
        outcome: str = "normal",
        note: str | None = None,
        photo: str | None = None,
    ) -> VisitRecorded:
        command = RecordVisit(await self.actor(who), care_id, outcome, note, photo)
        return await record_visit(command, self.ctx)

    async def raise_case(
        self,
        visit_id: int,
        text: str,
        who: int = WORKER,
        kind: CaseKind = CaseKind.ISSUE,
        category: str = "repair",
    ) -> Case:
        command = RaiseFromVisit(await self.actor(who), visit_id, kind, text, category)
        return await raise_from_visit(command, self.ctx)

    async def private_texts(self, chat_ids: Sequence[int]) -> list[str]:
        return [t for chat in chat_ids for t in await self.texts(chat)]


@pytest.fixture
async def town(database: Database) -> Town:
    await import_demo_org(database, care=True)
    return Town(database)
