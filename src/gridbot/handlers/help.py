"""/help: the commands of every role this person holds."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from gridbot.handlers.common.types import Render
from gridbot.services.context import Actor
from gridbot.services.notices.commands import command_groups


async def cmd_help(message: Message, render: Render, actor: Actor | None) -> None:
    roles = actor.roles if actor is not None else []
    await message.answer(render("help.html.j2", groups=command_groups(roles)))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_help, Command("help"))
    return router
