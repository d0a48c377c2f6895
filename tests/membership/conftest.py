"""A small org on the real storage, a settable clock, and the real notices recording the
command menus they queue and what they post to groups (a service ``Context`` over them)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from demo_town import TZ
from gridbot.bot.templating import Renderer
from gridbot.domain.org import GridKind, OrgUnit, Person, Role, RoleAssignment, UnitLevel
from gridbot.services.context import Actor, Context
from gridbot.services.membership import load_actor
from gridbot.services.notices import Notices
from gridbot.services.notices.keyboards import Keyboard
from gridbot.services.notices.outbox import OutboxWriter
from gridbot.services.orgcache import OrgCache
from gridbot.services.ports import UnitOfWork
from gridbot.storage.database import Database

T0 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
L = UnitLevel
UNITS = [
    OrgUnit("DL", "东丽区", L.DISTRICT, join_token="jDL", bind_token="bDL"),
    OrgUnit("WX", "万新街道", L.STREET, "DL", join_token="jWX", bind_token="bWX"),
    OrgUnit("EMPTY", "空街道", L.STREET, "DL", join_token="jE", bind_token="bE"),
    OrgUnit("LY", "临月里社区", L.COMMUNITY, "WX", join_token="jLY", bind_token="bLY"),
    OrgUnit("LY1", "临月里第一网格", L.GRID, "LY", GridKind.RESIDENTIAL, "jLY1", "bLY1"),
    OrgUnit("LY1-B3", "临月里3号楼", L.BUILDING, "LY1", join_token="jB3", bind_token="bB3"),
    OrgUnit("LY2", "临月里第二网格", L.GRID, "LY", join_token="jLY2", bind_token="bLY2"),
    OrgUnit("PARK", "产业园网格", L.GRID, "LY", GridKind.DEDICATED, "jPARK", "bPARK"),
]
WORKER, OTHER_WORKER, RESIDENT, ADMIN = 1001, 1003, 2001, 1024
INVITE = "invite-code-1"


@dataclass
class FixedClock:
    at: datetime = T0

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


class RecordingOutbox(OutboxWriter):
    """The real outbox writer, recording what it posts to groups."""

    def __init__(self, renderer: Renderer) -> None:
        super().__init__(renderer)
        self.posts: list[tuple[int, str, Keyboard | None, dict[str, Any]]] = []

    async def to_person(self, *args: Any, **kw: Any) -> bool:
        raise AssertionError("group use cases never message a person")

    async def to_chat(
        self,
        uow: UnitOfWork,
        now: datetime,
        chat_id: int,
        template: str,
        *,
        keyboard: Keyboard | None = None,
        **context: Any,
    ) -> None:
        self.posts.append((chat_id, template, keyboard, context))
        await super().to_chat(uow, now, chat_id, template, keyboard=keyboard, **context)


class RecordingNotices(Notices):
    """The real notices, recording each command menu they queue: (telegram id, language,
    roles)."""

    def __init__(self, clock: FixedClock) -> None:
        renderer = Renderer()
        super().__init__(renderer, clock, TZ)
        self.outbox: RecordingOutbox = RecordingOutbox(renderer)
        self.published: list[tuple[int | None, str | None, list[Role]]] = []

    async def command_menu(
        self, uow: UnitOfWork, person: Person, roles: Sequence[RoleAssignment]
    ) -> None:
        self.published.append((person.telegram_id, person.language, [r.role for r in roles]))
        await super().command_menu(uow, person, roles)


async def actor(db: Database, telegram_id: int) -> Actor | None:
    """Someone as the bot loads them for an update (None: a stranger)."""
    async with db.reader() as uow:
        return await load_actor(uow, telegram_id, OrgCache())


async def _person(uow: UnitOfWork, name: str, tid: int | None, *roles: tuple[Role, str]) -> None:
    person = await uow.people.save(Person(name=name, telegram_id=tid))
    assert person.id is not None
    for role, unit in roles:
        await uow.people.add_role(RoleAssignment(person.id, role, unit))


@pytest.fixture
async def db(database: Database) -> AsyncIterator[Database]:
    async with database.uow() as uow:
        for unit in UNITS:
            await uow.org.save_unit(unit)
        await _person(uow, "张伟", WORKER, (Role.GRID_WORKER, "LY1"))
        await _person(uow, "李娜", OTHER_WORKER, (Role.GRID_WORKER, "LY2"))
        await _person(uow, "李桂兰", RESIDENT, (Role.RESIDENT, "LY1-B3"))
        await _person(uow, "韩冰", ADMIN, (Role.ADMIN, "DL"))
        invited = await uow.people.save(Person(name="许文", invite_code=INVITE))
        assert invited.id is not None
        await uow.people.add_role(RoleAssignment(invited.id, Role.GRID_WORKER, "LY2"))
        await uow.commit()
    yield database


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def menus(clock: FixedClock) -> RecordingNotices:
    return RecordingNotices(clock)


@pytest.fixture
def notifier(menus: RecordingNotices) -> RecordingOutbox:
    """What the notices post to groups."""
    return menus.outbox


@pytest.fixture
def ctx(db: Database, clock: FixedClock, menus: RecordingNotices) -> Context:
    return Context(db.uow, db.reader, clock, TZ, menus)
