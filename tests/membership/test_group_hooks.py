"""The outbox sender's group hooks, on the real storage."""

from __future__ import annotations

from gridbot.bot.group_hooks import GroupHooks
from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.services.context import Context
from gridbot.storage.database import Database

from .conftest import T0


async def bound(db: Database, chat_id: int) -> ChatBinding | None:
    async with db.reader() as uow:
        return await uow.bindings.get(chat_id)


async def test_an_unreachable_group_is_unbound_and_a_migrated_one_followed(
    db: Database, ctx: Context
) -> None:
    async with db.uow() as uow:
        for chat_id in (-10, -20):
            await uow.bindings.save(ChatBinding(chat_id, "LY1-B3", BindingKind.BUILDING, T0))
        await uow.commit()
    hooks = GroupHooks(ctx)

    await hooks.unreachable(-10)
    await hooks.unreachable(2001)  # a person: left to the sender
    await hooks.migrated(-20, -1000020)

    gone, moved = await bound(db, -10), await bound(db, -1000020)
    assert gone is not None and not gone.active
    assert moved is not None and moved.active and await bound(db, -20) is None
