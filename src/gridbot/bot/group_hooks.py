"""The outbox sender's hooks for groups: a group the bot can no longer post to loses its
binding, and a group upgraded to a supergroup keeps it under the new chat id."""

from __future__ import annotations

from gridbot.domain.groups import bot_removed, group_migrated
from gridbot.handlers.types import UowFactory


class GroupHooks:
    """``OutboxSender(on_unreachable=hooks.unreachable, on_migrate=hooks.migrated)``."""

    def __init__(self, uow_factory: UowFactory) -> None:
        self.uow_factory = uow_factory

    async def unreachable(self, chat_id: int) -> None:
        if chat_id >= 0:
            return  # a person who blocked the bot: the sender marks them itself
        async with self.uow_factory() as uow:
            await bot_removed(uow, chat_id)
            await uow.commit()

    async def migrated(self, old_chat_id: int, new_chat_id: int) -> None:
        async with self.uow_factory() as uow:
            await group_migrated(uow, old_chat_id, new_chat_id)
            await uow.commit()
