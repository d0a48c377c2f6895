"""The demo org in a real SQLite database, a settable clock and the real outbox notifier.

Personas of examples/demo-org.yaml: 2001 李桂兰 (resident of building B03, grid
DL-WX-LY-01, phone 13900002001), 2002 王建华 (her neighbour in B05), 2004 刘德明 (another
grid), 1001 张伟 (the grid's worker), 1002 王芳 (its leader and branch secretary), 1011 徐强
(police guide), 1022 宋涛 (street supervisor).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from gridbot.bot.notifier import OutboxNotifier
from gridbot.bot.orgfile import parse_org_text
from gridbot.bot.templating import Renderer
from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.case import Case, CaseKind
from gridbot.domain.cases import NewReport, NewWish, submit_report, submit_wish
from gridbot.domain.messaging import DueItem, OutboxMessage
from gridbot.domain.org import Person
from gridbot.domain.orgimport import import_org
from gridbot.storage.database import Database
from gridbot.storage.rows import DueItemRow

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-org.yaml"
TZ = "Asia/Shanghai"
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
GROUP = -1001234  # the building group of B03
RESIDENT, NEIGHBOUR, OTHER_GRID = 2001, 2002, 2004
WORKER, SECRETARY, POLICE_GUIDE, SUPERVISOR = 1001, 1002, 1011, 1022


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
        self.notifier = OutboxNotifier(
            Renderer(), self.clock, default_locale="zh", bot_username="gridbot_test_bot"
        )

    async def report(self, telegram_id: int = RESIDENT, **changes: Any) -> Case:
        values: dict[str, Any] = {"kind": CaseKind.ISSUE, "category_code": "env"}
        values["text"] = "3号楼门口垃圾堆了三天没人清理"
        values.update(changes)
        async with self.db.uow() as uow:
            case = await submit_report(
                NewReport(telegram_id, **values), uow, self.clock, self.notifier, TZ
            )
            await uow.commit()
        return case

    async def wish(self, telegram_id: int = RESIDENT, **changes: Any) -> Case:
        async with self.db.uow() as uow:
            cmd = NewWish(telegram_id, text=changes.pop("text", "想请人帮忙修一下轮椅"), **changes)
            case = await submit_wish(cmd, uow, self.clock, self.notifier, TZ)
            await uow.commit()
        return case

    async def person(self, telegram_id: int) -> Person:
        async with self.db.uow() as uow:
            person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        return person

    async def outbox(self, chat_id: int | None = None) -> list[OutboxMessage]:
        async with self.db.uow() as uow:
            pending = await uow.outbox.pending(self.clock.now() + timedelta(days=400), 1000)
        return [m for m in pending if chat_id is None or m.chat_id == chat_id]

    async def texts(self, chat_id: int) -> list[str]:
        messages = await self.outbox(chat_id)
        return [m.params.get("text") or m.params.get("caption") or "" for m in messages]

    async def due_items(self) -> list[DueItem]:
        async with self.db.uow() as uow:
            rows = await uow.session.scalars(select(DueItemRow).order_by(DueItemRow.id))
            return [row.to_domain() for row in rows]

    async def bind_group(self, chat_id: int = GROUP, unit: str = "DL-WX-LY-01-B03") -> None:
        async with self.db.uow() as uow:
            await uow.bindings.save(ChatBinding(chat_id, unit, BindingKind.BUILDING, T0))
            await uow.commit()


@pytest.fixture
async def town(database: Database) -> Town:
    spec = parse_org_text(DEMO.read_text(encoding="utf-8"), DEMO.name).to_spec()
    numbers = itertools.count(1)
    async with database.uow() as uow:
        await import_org(spec, uow, lambda: f"tok{next(numbers)}")
        await uow.commit()
    return Town(database)
