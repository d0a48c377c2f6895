"""The outbox sender's hooks for groups: a group the bot can no longer post to loses its
binding, and a group upgraded to a supergroup keeps it under the new chat id."""

from __future__ import annotations

from gridbot.services.context import Context
from gridbot.services.groups import bot_removed, group_migrated


class GroupHooks:
    """``OutboxSender(on_unreachable=hooks.unreachable, on_migrate=hooks.migrated)``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def unreachable(self, chat_id: int) -> None:
        if chat_id >= 0:
            return  # a person who blocked the bot: the sender marks them itself
        await bot_removed(self.ctx, chat_id)

    async def migrated(self, old_chat_id: int, new_chat_id: int) -> None:
        await group_migrated(self.ctx, old_chat_id, new_chat_id)
