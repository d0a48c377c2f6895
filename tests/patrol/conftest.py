"""The demo org in a real SQLite database, a settable clock and the real outbox notifier.

Grid workers of examples/demo-org.yaml: 1001 张伟 (临月里第一网格), 1003 李娜 (第二网格),
1005 陈静 (詹滨里第一网格), 1007 赵敏 (产业园区网格); 许文 is off duty and has no Telegram
account. 1002 王芳 leads 临月里第一网格; 2001 李桂兰 is a resident.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from demo_town import T0 as T0  # re-exported for the test modules; Monday 10:00 in Shanghai
from demo_town import TZ as TZ
from demo_town import DemoTown
from gridbot.domain.case import Case, Location
from gridbot.domain.patrol import Patrol
from gridbot.services.patrol import (
    EndPatrol,
    ReportHazard,
    StartPatrol,
    end_patrol,
    report_hazard,
    start_patrol,
)
from gridbot.storage.database import Database

WORKER, LEADER, RESIDENT = 1001, 1002, 2001
GRID_WORKERS = (1001, 1003, 1005, 1007)


class Town(DemoTown):
    """The patrol use cases, acted by someone of the demo (each opens and commits its own
    unit of work)."""

    async def start(self, who: int = WORKER) -> Patrol:
        return await start_patrol(StartPatrol(await self.actor(who)), self.ctx)

    async def end(self, who: int = WORKER) -> Patrol:
        return await end_patrol(EndPatrol(await self.actor(who)), self.ctx)

    async def hazard(
        self,
        category: str,
        text: str,
        *,
        who: int = WORKER,
        photos: Sequence[str] = (),
        location: Location | None = None,
        fixed_on_spot: bool = False,
    ) -> Case:
        actor = await self.actor(who)
        command = ReportHazard(actor, category, text, tuple(photos), location, fixed_on_spot)
        return await report_hazard(command, self.ctx)


@pytest.fixture
async def town(database: Database) -> Town:
    return await Town.demo(database)
