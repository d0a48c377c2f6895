"""The demo org in a real SQLite database, a settable clock and the real outbox notifier.

Grid workers of examples/demo-org.yaml: 1001 张伟 (临月里第一网格), 1003 李娜 (第二网格),
1005 陈静 (詹滨里第一网格), 1007 赵敏 (产业园区网格); 许文 is off duty and has no Telegram
account. 1002 王芳 leads 临月里第一网格; 2001 李桂兰 is a resident.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from gridbot.bot.notifier import OutboxNotifier
from gridbot.bot.orgfile import parse_org_text
from gridbot.bot.templating import Renderer
from gridbot.domain.case import CaseEvent
from gridbot.domain.messaging import DueItem, OutboxMessage
from gridbot.domain.orgimport import import_org
from gridbot.storage.database import Database
from gridbot.storage.rows import DueItemRow
from gridbot.storage.uow import SqlUnitOfWork

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-org.yaml"
TZ = "Asia/Shanghai"
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
WORKER, LEADER, RESIDENT = 1001, 1002, 2001
GRID_WORKERS = (1001, 1003, 1005, 1007)


@dataclass
class FixedClock:
    at: datetime = T0

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@dataclass
class Town:
    db: Database
    clock: FixedClock = field(default_factory=FixedClock)
    notifier: OutboxNotifier = field(init=False)

    def __post_init__(self) -> None:
        self.notifier = OutboxNotifier(Renderer(), self.clock, default_locale="zh")

    def uow(self) -> SqlUnitOfWork:
        return self.db.uow()

    async def outbox(self) -> list[OutboxMessage]:
        async with self.db.uow() as uow:
            return list(await uow.outbox.pending(self.clock.now() + timedelta(days=400), 1000))

    async def due_items(self) -> list[DueItem]:
        async with self.db.uow() as uow:
            rows = await uow.session.scalars(select(DueItemRow).order_by(DueItemRow.id))
            return [row.to_domain() for row in rows]

    async def events(self, case_id: int) -> list[CaseEvent]:
        async with self.db.uow() as uow:
            return list(await uow.cases.events(case_id))


@pytest.fixture
async def town(database: Database) -> Town:
    spec = parse_org_text(DEMO.read_text(encoding="utf-8"), DEMO.name).to_spec()
    numbers = itertools.count(1)
    async with database.uow() as uow:
        await import_org(spec, uow, lambda: f"tok{next(numbers)}")
        await uow.commit()
    return Town(database)
