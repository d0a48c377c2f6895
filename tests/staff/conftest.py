"""The demo org in a real SQLite database, a settable clock and the real notices, with the
/team and /invite use cases acted by the demo's people.

Personas of examples/demo-org.yaml: 1002 王芳 leads 临月里第一网格 (DL-WX-LY-01) and is its
branch secretary; 1001 张伟 works there (phone 13800001001); 1011 徐强 (police) and 1012
孙丽 (fire) guide it; 1013 马红 is a party member, 1015 胡婷 a service specialist and 1016
郭志刚 the building leader of 临月里3号楼 (and a party member and resident there); its
residents are 2001 李桂兰, 2002 王建华 and 郭志刚. 1004 刘洋 leads 临月里第二网格; 1006 杨磊
leads 詹滨里第一网格, where 许文 (no Telegram account, an invite pending) is off duty; 1009
周建国 is the branch secretary of the community 临月里社区; 1022 宋涛 supervises the street;
1024 韩冰 administers the district DL.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from demo_town import DemoTown
from gridbot.domain.case import Case, CaseKind
from gridbot.domain.invitepicker import InviteStep
from gridbot.domain.messaging import OutboxStatus
from gridbot.domain.org import Person
from gridbot.services.membership import (
    AcceptInvite,
    CreateInvite,
    Invitation,
    InviteMade,
    PickInviteUnit,
    TelegramUser,
    accept_invite,
    create_invite,
    pick_invite_unit,
)
from gridbot.services.reports import NewReport, submit_report
from gridbot.services.team import TeamBoard, TeamOf, team_board
from gridbot.services.workflow import AcceptCase, accept_case
from gridbot.storage.database import Database

WORKER, LEADER, NEIGHBOUR_WORKER, NEIGHBOUR_LEADER = 1001, 1002, 1003, 1004
POLICE_GUIDE, PARTY_MEMBER, BUILDING_LEADER = 1011, 1013, 1016
ZB_LEADER, SECRETARY, SUPERVISOR, ADMIN, RESIDENT = 1006, 1009, 1022, 1024, 2001
GRID, NEIGHBOUR_GRID = "DL-WX-LY-01", "DL-WX-LY-02"


class Office(DemoTown):
    bot_username: ClassVar[str | None] = "gridbot_test_bot"

    async def team(self, who: int | None, grid: str | None = None) -> TeamBoard:
        actor = None if who is None else await self.actor(who)
        return await team_board(TeamOf(actor, grid), self.ctx)

    async def report(self, category: str = "env", **changes: Any) -> Case:
        values: dict[str, Any] = {"kind": CaseKind.ISSUE, "category_code": category}
        values["text"] = "3号楼门口垃圾堆了三天没人清理"
        values.update(changes)
        return await submit_report(NewReport(await self.actor(RESIDENT), **values), self.ctx)

    async def accept(self, who: int, case: Case) -> None:
        assert case.id is not None
        await accept_case(AcceptCase(await self.actor(who), case.id), self.ctx)

    async def deliver_all(self, chat_id: int) -> None:
        """The outbox sender delivered every message queued for ``chat_id``."""
        async with self.db.uow() as uow:
            messages = [m for m in await uow.outbox.pending(self.clock.now(), 1000)]
            for number, message in enumerate(messages, 1):
                if message.chat_id == chat_id:
                    message.status, message.sent_at = OutboxStatus.SENT, self.clock.now()
                    message.message_id = number if message.method != "setMyCommands" else None
            await uow.outbox.update_many(messages)
            await uow.commit()

    async def block(self, telegram_id: int) -> None:
        async with self.db.uow() as uow:
            person = await uow.people.by_telegram_id(telegram_id)
            assert person is not None
            person.blocked_bot = True
            await uow.people.save(person)
            await uow.commit()

    async def invite(self, who: int, role: str, unit: str) -> InviteMade:
        return await create_invite(CreateInvite(await self.actor(who), role, unit), self.ctx)

    async def step(self, who: int, role: str, code: str = "") -> InviteStep:
        return await pick_invite_unit(PickInviteUnit(await self.actor(who), role, code), self.ctx)

    async def accept_invite(
        self, telegram_id: int, code: str, name: str = "新同事", locale: str = "zh"
    ) -> Invitation:
        user = TelegramUser(telegram_id, name, None, locale)
        return await accept_invite(AcceptInvite(user, code), self.ctx)

    async def account(self, telegram_id: int) -> Person | None:
        async with self.db.reader() as uow:
            return await uow.people.by_telegram_id(telegram_id)


@pytest.fixture
async def office(database: Database) -> Office:
    return await Office.demo(database)
