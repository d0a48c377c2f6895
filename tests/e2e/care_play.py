"""Helpers for the care (走访) tests through the stand: read care persons and their visits
and reminders from the bot's database.

Care persons of examples/demo-org.yaml: 赵桂英 and 孙小明 on 临月里第一网格, visited by
1001 张伟; 钱卫国 on 詹滨里第一网格, by 1005 陈静. 1002 王芳 leads 临月里第一网格.
"""

from __future__ import annotations

from gridbot.domain.care import CarePerson, CareVisit
from gridbot.domain.messaging import DueItem, DueKind

from .harness import World

WORKER, LEADER = 1001, 1002
NEIGHBOUR_WORKER, SUPERVISOR, RESIDENT = 1003, 1022, 2001
GRID = "DL-WX-LY-01"


async def care_person(world: World, name: str, grid: str = GRID) -> CarePerson:
    async with world.database.reader() as uow:
        found = [p for p in await uow.care.of_grid(grid) if p.name == name]
    assert len(found) == 1, found
    return found[0]


async def visits(world: World, care_id: int | None) -> list[CareVisit]:
    assert care_id is not None
    async with world.database.reader() as uow:
        return list(await uow.care.visits_of(care_id))


async def reminders(world: World, care_id: int | None) -> list[DueItem]:
    """The pending CARE_VISIT items of a person."""
    assert care_id is not None
    async with world.database.reader() as uow:
        return list(await uow.due.pending(DueKind.CARE_VISIT, str(care_id)))
