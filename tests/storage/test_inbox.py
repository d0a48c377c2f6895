"""The inbox repository on SQLite and PostgreSQL: once per update_id, pending in order,
marked, old handled ones dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gridbot.storage.database import Database
from gridbot.storage.repositories.inbox import SqlInboxRepository

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


async def test_updates_are_recorded_once_and_handed_back_in_order_until_marked(
    db: Database,
) -> None:
    async with db.uow() as uow:
        inbox = SqlInboxRepository(uow.session)
        assert await inbox.record([(12, '{"b": 1}'), (11, '{"a": 1}')], NOW) == {11, 12}
        assert await inbox.record([(12, '{"b": 2}'), (13, '{"c": 1}')], NOW) == {13}
        await uow.commit()
    async with db.uow() as uow:
        inbox = SqlInboxRepository(uow.session)
        assert await inbox.pending() == [(11, '{"a": 1}'), (12, '{"b": 1}'), (13, '{"c": 1}')]
        await inbox.mark_handled([11, 13], NOW)
        await uow.commit()
    async with db.uow() as uow:
        inbox = SqlInboxRepository(uow.session)
        assert [i for i, _ in await inbox.pending()] == [12]
        assert await inbox.record([(11, "{}")], NOW) == set()  # handled, still known
        assert await inbox.forget_handled(NOW + timedelta(seconds=1)) == 2
        assert [i for i, _ in await inbox.pending()] == [12]
        await uow.commit()
