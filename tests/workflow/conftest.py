"""The demo org in a real SQLite database, a settable clock and the real outbox notifier.

Personas of examples/demo-org.yaml on grid DL-WX-LY-01: 2001 李桂兰 (resident), 1001 张伟
(grid worker), 1002 王芳 (grid leader and branch secretary); 1003 李娜 (worker of the
neighbouring grid DL-WX-LY-02), 1017 林小红 (community staff of DL-WX-LY), 1019 高峰
(street dispatcher), 1020 罗斌 (police liaison), 1021 梁晨 (urban management liaison).
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from gridbot.bot.notifier import OutboxNotifier
from gridbot.bot.orgfile import parse_org_text
from gridbot.bot.templating import Renderer
from gridbot.domain.case import Case, CaseEvent, CaseKind
from gridbot.domain.cases import NewReport, submit_report
from gridbot.domain.messaging import DueItem, DueKind, OutboxMessage
from gridbot.domain.orgimport import import_org
from gridbot.storage.database import Database
from gridbot.storage.rows import DueItemRow

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-org.yaml"
TZ = "Asia/Shanghai"
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
RESIDENT, WORKER, LEADER, NEIGHBOUR_WORKER = 2001, 1001, 1002, 1003
COMMUNITY, DISPATCHER, POLICE, URBAN = 1017, 1019, 1020, 1021
OTHER_COMMUNITY_WORKER, SUPERVISOR, PARTY_MEMBER = 1005, 1022, 1013
COMMUNITY_SECRETARY = 1009  # 周建国, branch secretary of DL-WX-LY
WORKER_GROUP = -1009001


@dataclass
class FixedClock:
    at: datetime = T0

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@dataclass
class Desk:
    """A front desk over the demo town: report, act, and read what the database holds."""

    db: Database
    clock: FixedClock = field(default_factory=FixedClock)
    notifier: OutboxNotifier = field(init=False)

    def __post_init__(self) -> None:
        self.notifier = OutboxNotifier(
            Renderer(), self.clock, default_locale="zh", bot_username="gridbot_test_bot"
        )

    async def report(self, category: str = "env", **changes: Any) -> Case:
        values: dict[str, Any] = {"kind": CaseKind.ISSUE, "category_code": category}
        values["text"] = "3号楼门口垃圾堆了三天没人清理"
        values.update(changes)
        async with self.db.uow() as uow:
            case = await submit_report(
                NewReport(RESIDENT, **values), uow, self.clock, self.notifier, TZ
            )
            await uow.commit()
        return case

    async def run(self, use_case: Callable[..., Awaitable[Any]], *args: Any, **kw: Any) -> Any:
        """Run a use case in its own unit of work and commit, as a handler does."""
        async with self.db.uow() as uow:
            result = await use_case(uow, *args, **kw)
            await uow.commit()
        return result

    async def case(self, case_id: int | None) -> Case:
        assert case_id is not None
        async with self.db.uow() as uow:
            case = await uow.cases.get(case_id)
        assert case is not None
        return case

    async def events(self, case_id: int | None) -> list[CaseEvent]:
        assert case_id is not None
        async with self.db.uow() as uow:
            return list(await uow.cases.events(case_id))

    async def actions(self, case_id: int | None) -> list[str]:
        return [e.action for e in await self.events(case_id)]

    async def person_id(self, telegram_id: int) -> int:
        async with self.db.uow() as uow:
            person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        return person.id

    async def outbox(self, chat_id: int | None = None) -> list[OutboxMessage]:
        async with self.db.uow() as uow:
            pending = await uow.outbox.pending(self.clock.now() + timedelta(days=400), 10000)
        return [m for m in pending if chat_id is None or m.chat_id == chat_id]

    async def texts(self, chat_id: int) -> list[str]:
        return [
            m.params.get("text") or m.params.get("caption") or ""
            for m in await self.outbox(chat_id)
        ]

    async def due(self, kind: DueKind | None = None, *, pending: bool = True) -> list[DueItem]:
        async with self.db.uow() as uow:
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
    spec = parse_org_text(DEMO.read_text(encoding="utf-8"), DEMO.name).to_spec()
    numbers = itertools.count(1)
    async with database.uow() as uow:
        await import_org(spec, uow, lambda: f"tok{next(numbers)}")
        await uow.commit()
    return Desk(database)
