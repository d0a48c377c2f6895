from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from gridbot.domain.messaging import DueItem, DueKind
from gridbot.storage.database import Database

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_datetimes_come_back_aware_in_utc_and_compare_across_zones(db: Database) -> None:
    local = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=SHANGHAI)
    async with db.uow() as uow:
        await uow.due.add(DueItem(DueKind.DIGEST, local, "DL"))
        await uow.commit()
    async with db.uow() as uow:
        not_yet = await uow.due.claim_due(local - timedelta(microseconds=1), "w", 10)
        (item,) = await uow.due.claim_due(datetime(2026, 3, 1, 1, 30, 15, 123456, UTC), "w", 10)
    assert not_yet == []
    assert item.due_at == local and item.due_at.tzinfo is UTC
    assert item.due_at == datetime(2026, 3, 1, 1, 30, 15, 123456, tzinfo=UTC)


async def test_a_naive_datetime_is_taken_as_utc(db: Database) -> None:
    async with db.uow() as uow:
        item = await uow.due.add(DueItem(DueKind.DIGEST, datetime(2026, 3, 1, 1, 0), "DL"))
    assert item.due_at == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
