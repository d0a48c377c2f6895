"""The demo org in a real database, a settable clock and the real outbox notifier.

Personas of examples/demo-org.yaml on grid DL-WX-LY-01: 2001 李桂兰 (resident of B03,
phone 13900002001), 1002 王芳 (grid leader and branch secretary), helpers 1013 马红
(party member), 1015 胡婷 (service specialist), 1016 郭志刚 (building leader of B03, party
member, and a resident there himself); 1001 张伟 (the grid's worker, not a helper);
1004 刘洋 (leader of another grid).
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
from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.cases import NewWish, submit_wish
from gridbot.domain.messaging import DueItem, OutboxMessage
from gridbot.domain.orgimport import import_org
from gridbot.storage.database import Database
from gridbot.storage.rows import DueItemRow
from gridbot.storage.uow import SqlUnitOfWork

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-org.yaml"
TZ = "Asia/Shanghai"
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
GROUP = -1005003  # the building group of B03
RESIDENT, SECRETARY, WORKER, OTHER_LEADER = 2001, 1002, 1001, 1004
PARTY_MEMBER, SPECIALIST, BUILDING_LEADER = 1013, 1015, 1016
HELPERS = (PARTY_MEMBER, SPECIALIST, BUILDING_LEADER)


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

    async def wish(self, telegram_id: int = RESIDENT, **changes: Any) -> Case:
        async with self.db.uow() as uow:
            cmd = NewWish(telegram_id, text=changes.pop("text", "想请人帮忙修一下轮椅"), **changes)
            case = await submit_wish(cmd, uow, self.clock, self.notifier, TZ)
            await uow.commit()
        return case

    async def case(self, case_id: int) -> Case:
        async with self.db.uow() as uow:
            case = await uow.cases.get(case_id)
        assert case is not None
        return case

    async def events(self, case_id: int) -> list[CaseEvent]:
        async with self.db.uow() as uow:
            return list(await uow.cases.events(case_id))

    async def person_id(self, telegram_id: int) -> int:
        async with self.db.uow() as uow:
            person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        return person.id

    async def outbox(self, chat_id: int | None = None) -> list[OutboxMessage]:
        async with self.db.uow() as uow:
            pending = await uow.outbox.pending(self.clock.now() + timedelta(days=400), 1000)
        return [m for m in pending if chat_id is None or m.chat_id == chat_id]

    async def texts(self, chat_id: int) -> list[str]:
        return [
            m.params.get("text") or m.params.get("caption") or ""
            for m in await self.outbox(chat_id)
        ]

    async def buttons(self, chat_id: int) -> list[list[tuple[str, str]]]:
        """Per message to the chat, its buttons as (label, callback data)."""
        found = []
        for message in await self.outbox(chat_id):
            markup = message.params.get("reply_markup") or {}
            rows = markup.get("inline_keyboard", [])
            found.append([(b["text"], b.get("callback_data", "")) for row in rows for b in row])
        return found

    async def due_items(self) -> list[DueItem]:
        async with self.db.uow() as uow:
            rows = await uow.session.scalars(select(DueItemRow).order_by(DueItemRow.id))
            return [row.to_domain() for row in rows]

    async def bind_group(self, chat_id: int = GROUP, unit: str = "DL-WX-LY-01-B03") -> None:
        async with self.db.uow() as uow:
            await uow.bindings.save(ChatBinding(chat_id, unit, BindingKind.BUILDING, T0))
            await uow.commit()


async def demo_town(db: Database) -> Town:
    spec = parse_org_text(DEMO.read_text(encoding="utf-8"), DEMO.name).to_spec()
    numbers = itertools.count(1)
    async with db.uow() as uow:
        await import_org(spec, uow, lambda: f"tok{next(numbers)}")
        await uow.commit()
    return Town(db)


@pytest.fixture
async def town(database: Database) -> Town:
    return await demo_town(database)


@pytest.fixture(params=["sqlite", "postgres"])
def any_database(request: pytest.FixtureRequest) -> Database:
    fixture = "database" if request.param == "sqlite" else "pg_database"
    db: Database = request.getfixturevalue(fixture)
    return db


@pytest.fixture
async def any_town(any_database: Database) -> Town:
    """The demo town on SQLite and on PostgreSQL."""
    return await demo_town(any_database)
