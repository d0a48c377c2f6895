"""The demo org in a real database, a settable clock and the real outbox notifier.

Personas of examples/demo-org.yaml on grid DL-WX-LY-01: 2001 李桂兰 (resident of B03,
phone 13900002001), 1002 王芳 (grid leader and branch secretary), helpers 1013 马红
(party member), 1015 胡婷 (service specialist), 1016 郭志刚 (building leader of B03, party
member, and a resident there himself); 1001 张伟 (the grid's worker, not a helper);
1004 刘洋 (leader of another grid).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import pytest

from demo_town import T0 as T0  # re-exported for the test modules
from demo_town import TZ as TZ
from demo_town import DemoTown
from gridbot.domain.case import Case
from gridbot.services.wishes import (
    ApproveWish,
    ClaimWish,
    ConfirmWish,
    FulfilWish,
    RejectWish,
    WishBoard,
    WishBoardOf,
    approve_wish,
    claim_wish,
    confirm_wish,
    fulfil_wish,
    pending_wishes,
    points_of,
    reject_wish,
)
from gridbot.storage.database import Database

GROUP = -1005003  # the building group of B03
RESIDENT, SECRETARY, WORKER, OTHER_LEADER = 2001, 1002, 1001, 1004
PARTY_MEMBER, SPECIALIST, BUILDING_LEADER = 1013, 1015, 1016
HELPERS = (PARTY_MEMBER, SPECIALIST, BUILDING_LEADER)


class Town(DemoTown):
    group: ClassVar[int] = GROUP

    async def buttons(self, chat_id: int) -> list[list[tuple[str, str]]]:
        """Per message to the chat, its buttons as (label, callback data)."""
        found = []
        for message in await self.outbox(chat_id):
            markup = message.params.get("reply_markup") or {}
            rows = markup.get("inline_keyboard", [])
            found.append([(b["text"], b.get("callback_data", "")) for row in rows for b in row])
        return found

    # The wish use cases, acted by someone of the demo (each opens and commits its own
    # unit of work).

    async def approve(self, who: int, case: Case) -> Case:
        return await approve_wish(ApproveWish(await self.actor(who), case_id(case)), self.ctx)

    async def reject(self, who: int, cid: int, reason: str) -> Case:
        return await reject_wish(RejectWish(await self.actor(who), cid, reason), self.ctx)

    async def claim(self, who: int, case: Case) -> Case:
        return await claim_wish(ClaimWish(await self.actor(who), case_id(case)), self.ctx)

    async def fulfil(
        self, who: int, cid: int, note: str | None, photos: Sequence[str] = ()
    ) -> Case:
        command = FulfilWish(await self.actor(who), cid, note, tuple(photos))
        return await fulfil_wish(command, self.ctx)

    async def confirm(self, who: int, cid: int) -> Case:
        return await confirm_wish(ConfirmWish(await self.actor(who), cid), self.ctx)

    async def approved_wish(self, **changes: Any) -> Case:
        return await self.approve(SECRETARY, await self.wish(**changes))

    async def points(self, who: int) -> int:
        return await points_of(self.ctx, await self.actor(who))

    async def board(self, who: int) -> WishBoard:
        return await pending_wishes(WishBoardOf(await self.actor(who)), self.ctx)


def case_id(case: Case) -> int:
    assert case.id is not None
    return case.id


async def demo_town(db: Database) -> Town:
    return await Town.demo(db)


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
