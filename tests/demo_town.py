"""The demo org in a real database, a settable clock and the real outbox notifier.

Shared by the conftests of tests/cases, tests/workflow, tests/wishes and tests/patrol: each
subclasses `DemoTown` with its own use-case helpers and keeps its own personas. Imported as
`demo_town` because pytest puts tests/ (which has no __init__.py) on sys.path, as it does for
`e2e.harness`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, Self

from sqlalchemy import select

from gridbot.bot.notifier import OutboxNotifier
from gridbot.bot.orgfile import parse_org_text
from gridbot.bot.templating import Renderer
from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.cases import NewWish, submit_wish
from gridbot.domain.messaging import DueItem, OutboxMessage
from gridbot.domain.org import Person
from gridbot.domain.orgimport import import_org
from gridbot.storage.database import Database
from gridbot.storage.rows import DueItemRow
from gridbot.storage.uow import SqlUnitOfWork

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo-org.yaml"
TZ = "Asia/Shanghai"
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
RESIDENT = 2001  # 李桂兰, resident of building B03 on grid DL-WX-LY-01


@dataclass
class FixedClock:
    at: datetime = T0

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


async def import_demo_org(db: Database) -> None:
    """Import examples/demo-org.yaml, with invite tokens tok1, tok2, ..."""
    spec = parse_org_text(DEMO.read_text(encoding="utf-8"), DEMO.name).to_spec()
    numbers = itertools.count(1)
    async with db.uow() as uow:
        await import_org(spec, uow, lambda: f"tok{next(numbers)}")
        await uow.commit()


@dataclass
class DemoTown:
    """The demo town over a database: act as its people and read what the database holds."""

    db: Database
    clock: FixedClock = field(default_factory=FixedClock)
    notifier: OutboxNotifier = field(init=False)

    bot_username: ClassVar[str | None] = None
    outbox_limit: ClassVar[int] = 1000
    group: ClassVar[int]  # the building group of B03 that `bind_group` binds by default

    def __post_init__(self) -> None:
        self.notifier = OutboxNotifier(
            Renderer(), self.clock, default_locale="zh", bot_username=self.bot_username
        )

    @classmethod
    async def demo(cls, db: Database) -> Self:
        """The demo org imported into `db`, and a town over it."""
        await import_demo_org(db)
        return cls(db)

    def uow(self) -> SqlUnitOfWork:
        return self.db.uow()

    async def wish(self, telegram_id: int = RESIDENT, **changes: Any) -> Case:
        async with self.db.uow() as uow:
            cmd = NewWish(telegram_id, text=changes.pop("text", "想请人帮忙修一下轮椅"), **changes)
            case = await submit_wish(cmd, uow, self.clock, self.notifier, TZ)
            await uow.commit()
        return case

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

    async def person(self, telegram_id: int) -> Person:
        async with self.db.uow() as uow:
            person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        return person

    async def person_id(self, telegram_id: int) -> int:
        person = await self.person(telegram_id)
        assert person.id is not None
        return person.id

    async def outbox(self, chat_id: int | None = None) -> list[OutboxMessage]:
        async with self.db.uow() as uow:
            pending = await uow.outbox.pending(
                self.clock.now() + timedelta(days=400), self.outbox_limit
            )
        return [m for m in pending if chat_id is None or m.chat_id == chat_id]

    async def texts(self, chat_id: int) -> list[str]:
        return [
            m.params.get("text") or m.params.get("caption") or ""
            for m in await self.outbox(chat_id)
        ]

    async def due_items(self) -> list[DueItem]:
        async with self.db.uow() as uow:
            rows = await uow.session.scalars(select(DueItemRow).order_by(DueItemRow.id))
            return [row.to_domain() for row in rows]

    async def bind_group(self, chat_id: int | None = None, unit: str = "DL-WX-LY-01-B03") -> None:
        chat = self.group if chat_id is None else chat_id
        async with self.db.uow() as uow:
            await uow.bindings.save(ChatBinding(chat, unit, BindingKind.BUILDING, T0))
            await uow.commit()
