"""/help: the commands of every role this person holds."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from gridbot.domain.org import RoleAssignment
from gridbot.domain.people import command_groups
from gridbot.handlers.types import Render


async def cmd_help(message: Message, render: Render, roles: Sequence[RoleAssignment]) -> None:
    await message.answer(render("help.html.j2", groups=command_groups(roles)))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_help, Command("help"))
    return router
