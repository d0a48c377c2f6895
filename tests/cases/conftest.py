"""The demo org in a real SQLite database, a settable clock and the real notices.

Personas of examples/demo-org.yaml: 2001 李桂兰 (resident of building B03, grid
DL-WX-LY-01, phone 13900002001), 2002 王建华 (her neighbour in B05), 2004 刘德明 (another
grid), 1001 张伟 (the grid's worker), 1002 王芳 (its leader and branch secretary), 1011 徐强
(police guide), 1022 宋涛 (street supervisor).
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from demo_town import DEMO as DEMO  # re-exported for the test modules
from demo_town import T0 as T0
from demo_town import DemoTown
from demo_town import FixedClock as FixedClock
from gridbot.domain.case import Case, CaseKind
from gridbot.services.reports import NewReport, submit_report
from gridbot.storage.database import Database

GROUP = -1001234  # the building group of B03
RESIDENT, NEIGHBOUR, OTHER_GRID = 2001, 2002, 2004
WORKER, SECRETARY, POLICE_GUIDE, SUPERVISOR = 1001, 1002, 1011, 1022


class Town(DemoTown):
    bot_username: ClassVar[str | None] = "gridbot_test_bot"
    group: ClassVar[int] = GROUP

    async def report(self, telegram_id: int = RESIDENT, **changes: Any) -> Case:
        values: dict[str, Any] = {"kind": CaseKind.ISSUE, "category_code": "env"}
        values["text"] = "3号楼门口垃圾堆了三天没人清理"
        values.update(changes)
        return await submit_report(NewReport(await self.actor(telegram_id), **values), self.ctx)


@pytest.fixture
async def town(database: Database) -> Town:
    return await Town.demo(database)
