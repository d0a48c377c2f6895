"""/start: who gridbot is and what this person can do now."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandStart
from aiogram.types import Message

from gridbot.domain.people import describe_person
from gridbot.handlers.types import Render, UowFactory


async def cmd_start(message: Message, uow_factory: UowFactory, render: Render) -> None:
    # Deep-link payloads (j_, inv_, c_, b_) are handled in a later issue; until then they
    # get the plain welcome, and nothing pretends that a join happened.
    user = message.from_user
    if user is None:
        return
    async with uow_factory() as uow:
        view = await describe_person(uow, user.id)
    await message.answer(render("start.html.j2", view=view, first_name=user.first_name))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_start, CommandStart(), F.from_user)
    return router
