"""The demo org in a real SQLite database, a settable clock (Monday 2 March 2026, 10:00 in
Shanghai) and the real notices, for the public digests and the supervisors' brief.

1022 宋涛 supervises 万新街道 DL-WX, 1023 唐海 the district DL. 2001 李桂兰 (phone
13900002001) lives in 临月里3号楼 on 临月里第一网格 DL-WX-LY-01, whose worker is 1001 张伟.
Groups are bound in the tests: residents' groups under 临月里社区 DL-WX-LY and elsewhere, and
the grid team's workers' group.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from demo_town import TZ, DemoTown
from gridbot.bot.config import Settings
from gridbot.bot.jobs import register_jobs
from gridbot.bot.scheduler import DueScheduler
from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.case import Case, CaseKind
from gridbot.domain.digests import DigestRecord
from gridbot.domain.messaging import DueItem, DueKind, OutboxMessage
from gridbot.services.context import Context
from gridbot.services.digests import (
    DigestOf,
    DigestPreview,
    PublishDigest,
    Published,
    preview_digest,
    publish_digest,
)
from gridbot.services.ports import UnitOfWork
from gridbot.services.reports import NewReport, submit_report
from gridbot.services.workflow import AcceptCase, ResolveCase, accept_case, resolve_case
from gridbot.storage.database import Database
from gridbot.storage.rows import DigestRow, DueItemRow

SUPERVISOR, DISTRICT_SUPERVISOR, ADMIN = 1022, 1023, 1024
RESIDENT, NEIGHBOUR, WORKER = 2001, 2002, 1001
GARBAGE = "3号楼门口垃圾堆了三天没人清理"
# Groups: residents' groups under 临月里社区, one elsewhere, the workers' group of the grid.
B03_GROUP, B05_GROUP, LY02_GROUP = -1001, -1002, -1003
ZB_GROUP, PARK_GROUP, WORKER_GROUP, LEFT_GROUP = -2001, -2002, -3001, -3002
GROUPS = {
    B03_GROUP: ("DL-WX-LY-01-B03", BindingKind.BUILDING),
    B05_GROUP: ("DL-WX-LY-01-B05", BindingKind.BUILDING),
    LY02_GROUP: ("DL-WX-LY-02", BindingKind.BUILDING),
    ZB_GROUP: ("DL-WX-ZB-01", BindingKind.BUILDING),
    PARK_GROUP: ("DL-WX-ZB-02-A1", BindingKind.ENTERPRISE),
    WORKER_GROUP: ("DL-WX-LY-01", BindingKind.WORKER_GROUP),
    LEFT_GROUP: ("DL-WX-LY-01-B05", BindingKind.BUILDING),  # the bot was removed
}


class Town(DemoTown):
    bot_username = "gridbot_test_bot"
    outbox_limit = 10000

    async def report(self, telegram_id: int = RESIDENT, **changes: Any) -> Case:
        values: dict[str, Any] = {"kind": CaseKind.ISSUE, "category_code": "env", "text": GARBAGE}
        values.update(changes)
        actor = await self.actor(telegram_id)
        return await submit_report(NewReport(actor, **values), self.ctx)

    async def resolved(self, **changes: Any) -> Case:
        """A case reported, accepted and resolved by the grid worker within the hour."""
        case = await self.report(**changes)
        await accept_case(AcceptCase(await self.actor(WORKER), case.id), self.ctx)
        self.clock.advance(minutes=30)
        card = await resolve_case(
            ResolveCase(await self.actor(WORKER), case.id, "已清理完毕", ("photo-done",)), self.ctx
        )
        return card.case

    async def bind_groups(self, *chats: int) -> None:
        async with self.db.uow() as uow:
            for chat in chats or tuple(GROUPS):
                unit, kind = GROUPS[chat]
                await uow.bindings.save(ChatBinding(chat, unit, kind, self.clock.now()))
                if chat == LEFT_GROUP:
                    await uow.bindings.deactivate(chat)
            await uow.commit()

    async def preview(self, telegram_id: int = SUPERVISOR, *args: Any) -> DigestPreview:
        return await preview_digest(DigestOf(await self.actor(telegram_id), *args), self.ctx)

    async def publish(
        self, preview: DigestPreview, telegram_id: int = SUPERVISOR, **changes: Any
    ) -> Published:
        unit = preview.draft.unit
        assert unit.id is not None
        values: dict[str, Any] = {
            "unit_id": unit.id,
            "period": preview.draft.period.label,
            "stamp": preview.stamp,
        }
        values.update(changes)
        command = PublishDigest(await self.actor(telegram_id), **values)
        return await publish_digest(command, self.ctx)

    async def records(self) -> list[DigestRecord]:
        async with self.db.reader() as uow:
            rows = await uow.session.execute(select(DigestRow).order_by(DigestRow.id))
            return [row.to_domain("") for row in rows.scalars()]

    async def group_posts(self, chat_id: int) -> list[OutboxMessage]:
        return await self.outbox(chat_id)

    async def tick(self) -> int:
        scheduler = DueScheduler(self.db.uow, self.clock)
        register_jobs(scheduler, self.ctx, Settings(_env_file=None))
        return await scheduler.tick()

    async def due(self, kind: DueKind) -> list[DueItem]:
        async with self.db.reader() as uow:
            rows = await uow.session.scalars(
                select(DueItemRow).where(DueItemRow.kind == kind).order_by(DueItemRow.due_at)
            )
            return [row.to_domain() for row in rows if row.done_at is None]

    def at(self, year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> None:
        self.clock.at = datetime(year, month, day, hour, minute, tzinfo=TZ)


def counting(ctx: Context) -> tuple[Context, list[str]]:
    """The context with units of work that note being opened: a refusal opens none."""
    opened: list[str] = []

    def reading() -> UnitOfWork:
        opened.append("reading")
        return ctx.reading()

    def writing() -> UnitOfWork:
        opened.append("writing")
        return ctx.writing()

    return replace(ctx, reading=reading, writing=writing), opened


@pytest.fixture
async def town(database: Database) -> Town:
    return await Town.demo(database)
