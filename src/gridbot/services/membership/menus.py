"""A staff member's own command menu, sent again when they open the bot."""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.services.context import Actor, Context
from gridbot.services.notices.commands import CommandGroup, command_groups


@dataclass(frozen=True)
class RefreshMenu:
    actor: Actor | None


async def refresh_menu(cmd: RefreshMenu, ctx: Context) -> bool:
    """On /start: someone whose roles give them more than the residents' commands gets their
    own menu queued (people given roles by the org file have none until they open the bot,
    and a chat menu can only be set once the chat exists). Everyone else keeps the default
    menu; False then."""
    actor = cmd.actor
    if actor is None or command_groups(actor.roles) == [CommandGroup.RESIDENT]:
        return False
    async with ctx.writing() as uow:
        await ctx.notices.command_menu(uow, actor.person, actor.roles)
        await uow.commit()
    return True
