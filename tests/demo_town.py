"""The demo org in a real database, a settable clock and the real notices (a service
``Context`` over them), and the demo's people as actors.

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
from zoneinfo import ZoneInfo

from sqlalchemy import select

from gridbot.bot.orgfile import parse_org_text
from gridbot.bot.templating import Renderer
from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.case import Case, CaseEvent, RatingValue
from gridbot.domain.messaging import DueItem, OutboxMessage
from gridbot.domain.org import Person
from gridbot.services.context import Actor, Context
from gridbot.services.feedback import RateCase, rate_case
from gridbot.services.membership import load_actor
from gridbot.services.notices import Notices
from gridbot.services.orgimport import ImportOrg, import_org
from gridbot.services.reports import NewWish, submit_wish
from gridbot.storage.database import Database
from gridbot.storage.rows import DueItemRow
from gridbot.storage.uow import SqlUnitOfWork

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo-org.yaml"
TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
RESIDENT = 2001  # 李桂兰, resident of building B03 on grid DL-WX-LY-01


@dataclass
class FixedClock:
    at: datetime = T0

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def context(db: Database, clock: Any = None, bot_username: str | None = None) -> Context:
    """A service context over ``db``: the real notices, in Chinese, on Shanghai time."""
    clock = clock or FixedClock()
    notices = Notices(Renderer(), clock, TZ, bot_username=bot_username)
    return Context(db.uow, db.reader, clock, TZ, notices)


async def import_demo_org(db: Database, *, care: bool = False) -> None:
    """Import examples/demo-org.yaml, with invite tokens tok1, tok2, ... Its care persons
    (and the visit reminders they schedule) only with ``care``: the other features' tests
    count the due items they schedule themselves."""
    spec = parse_org_text(DEMO.read_text(encoding="utf-8"), DEMO.name).to_spec()
    if not care:
        spec.care = []
    numbers = itertools.count(1)
    await import_org(ImportOrg(spec, lambda: f"tok{next(numbers)}"), context(db))


@dataclass
class DemoTown:
    """The demo town over a database: act as its people and read what the database holds."""

    db: Database
    clock: FixedClock = field(default_factory=FixedClock)
    ctx: Context = field(init=False)

    bot_username: ClassVar[str | None] = None
    outbox_limit: ClassVar[int] = 1000
    group: ClassVar[int]  # the building group of B03 that `bind_group` binds by default

    def __post_init__(self) -> None:
        self.ctx = context(self.db, self.clock, self.bot_username)

    @classmethod
    async def demo(cls, db: Database) -> Self:
        """The demo org imported into `db`, and a town over it."""
        await import_demo_org(db)
        return cls(db)

    def uow(self) -> SqlUnitOfWork:
        return self.db.uow()

    async def actor(self, telegram_id: int) -> Actor | None:
        """Someone of the demo as the bot loads them for an update (None: a stranger)."""
        async with self.db.reader() as uow:
            return await load_actor(uow, telegram_id, self.ctx.org)

    async def wish(self, telegram_id: int = RESIDENT, **changes: Any) -> Case:
        text = changes.pop("text", "想请人帮忙修一下轮椅")
        return await submit_wish(NewWish(await self.actor(telegram_id), text, **changes), self.ctx)

    async def rate(
        self, telegram_id: int, case_id: int | None, value: RatingValue, comment: str | None = None
    ) -> Case:
        """The reporter's (or a wish's poster's) rating, as their tap gives it."""
        assert case_id is not None
        command = RateCase(await self.actor(telegram_id), case_id, value, comment)
        return await rate_case(command, self.ctx)

    async def case(self, case_id: int | None) -> Case:
        assert case_id is not None
        async with self.db.reader() as uow:
            case = await uow.cases.get(case_id)
        assert case is not None
        return case

    async def events(self, case_id: int | None) -> list[CaseEvent]:
        assert case_id is not None
        async with self.db.reader() as uow:
            return list(await uow.cases.events(case_id))

    async def person(self, telegram_id: int) -> Person:
        async with self.db.reader() as uow:
            person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        return person

    async def person_id(self, telegram_id: int) -> int:
        person = await self.person(telegram_id)
        assert person.id is not None
        return person.id

    async def outbox(self, chat_id: int | None = None) -> list[OutboxMessage]:
        async with self.db.reader() as uow:
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
        async with self.db.reader() as uow:
            rows = await uow.session.scalars(select(DueItemRow).order_by(DueItemRow.id))
            return [row.to_domain() for row in rows]

    async def bind_group(self, chat_id: int | None = None, unit: str = "DL-WX-LY-01-B03") -> None:
        chat = self.group if chat_id is None else chat_id
        async with self.db.uow() as uow:
            await uow.bindings.save(ChatBinding(chat, unit, BindingKind.BUILDING, T0))
            await uow.commit()
