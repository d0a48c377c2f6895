"""The demo org in a real SQLite database, a settable clock and the real notices.

Personas of examples/demo-org.yaml on grid DL-WX-LY-01: 2001 李桂兰 (resident), 1001 张伟
(grid worker), 1002 王芳 (grid leader and branch secretary); 1003 李娜 (worker of the
neighbouring grid DL-WX-LY-02), 1017 林小红 (community staff of DL-WX-LY), 1019 高峰
(street dispatcher), 1020 罗斌 (police liaison), 1021 梁晨 (urban management liaison).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

import pytest
from sqlalchemy import select

from demo_town import T0 as T0  # re-exported for the test modules
from demo_town import TZ as TZ  # re-exported for the test modules
from demo_town import DemoTown
from gridbot.bot.config import Settings
from gridbot.bot.jobs import register_jobs
from gridbot.bot.scheduler import DueScheduler
from gridbot.domain.case import Case, CaseKind
from gridbot.domain.messaging import DueItem, DueKind
from gridbot.services.context import Context
from gridbot.services.reports import NewReport, submit_report
from gridbot.services.workflow import AcceptCase, CaseCard, ResolveCase, accept_case, resolve_case
from gridbot.storage.database import Database
from gridbot.storage.rows import DueItemRow

RESIDENT, WORKER, LEADER, NEIGHBOUR_WORKER = 2001, 1001, 1002, 1003
COMMUNITY, DISPATCHER, POLICE, URBAN = 1017, 1019, 1020, 1021
OTHER_COMMUNITY_WORKER, SUPERVISOR, PARTY_MEMBER = 1005, 1022, 1013
COMMUNITY_SECRETARY = 1009  # 周建国, branch secretary of DL-WX-LY
WORKER_GROUP = -1009001


class Desk(DemoTown):
    """A front desk over the demo town: report, act, and read what the database holds."""

    bot_username: ClassVar[str | None] = "gridbot_test_bot"
    outbox_limit: ClassVar[int] = 10000

    async def report(self, category: str = "env", **changes: Any) -> Case:
        values: dict[str, Any] = {"kind": CaseKind.ISSUE, "category_code": category}
        values["text"] = "3号楼门口垃圾堆了三天没人清理"
        values.update(changes)
        return await submit_report(NewReport(await self.actor(RESIDENT), **values), self.ctx)

    async def run(
        self,
        use_case: Callable[[Any, Context], Awaitable[Any]],
        command: Callable[..., Any],
        telegram_id: int,
        *args: Any,
        **kw: Any,
    ) -> Any:
        """Run a use case as ``telegram_id`` (loaded as the bot loads them for an update),
        as a handler does: the use case opens and commits its own unit of work. A workflow
        step's card is unwrapped to the case it changed."""
        result = await use_case(command(await self.actor(telegram_id), *args, **kw), self.ctx)
        return result.case if isinstance(result, CaseCard) else result

    async def tick(self) -> int:
        """One tick of the due scheduler, with every job the bot registers, at the clock's
        time; returns how many items it ran."""
        scheduler = DueScheduler(self.db.uow, self.clock)
        register_jobs(scheduler, self.ctx, Settings(_env_file=None))
        return await scheduler.tick()

    async def resolved(self, note: str = "已清理完毕", photos: tuple[str, ...] = ()) -> Case:
        """A case reported, accepted and resolved by the grid worker, an hour apart."""
        case = await self.report()
        await self.run(accept_case, AcceptCase, WORKER, case.id)
        self.clock.advance(hours=1)
        return await self.run(resolve_case, ResolveCase, WORKER, case.id, note, photos)

    async def actions(self, case_id: int | None) -> list[str]:
        return [e.action for e in await self.events(case_id)]

    async def due(self, kind: DueKind | None = None, *, pending: bool = True) -> list[DueItem]:
        async with self.db.reader() as uow:
            rows = await uow.session.scalars(select(DueItemRow).order_by(DueItemRow.due_at))
            items = [row.to_domain() for row in rows]
        return [
            i
            for i in items
            if (kind is None or i.kind == kind) and (not pending or i.done_at is None)
        ]

    async def snapshot(self, case_id: int | None) -> tuple[Any, ...]:
        """Everything a refused request must leave as it was."""
        return (
            await self.case(case_id),
            len(await self.events(case_id)),
            len(await self.outbox()),
            [(i.kind, i.due_at, i.payload) for i in await self.due()],
        )


@pytest.fixture
async def desk(database: Database) -> Desk:
    return await Desk.demo(database)
