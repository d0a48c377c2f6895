"""Group chats: the bot added or removed, /bind and /unbind, ``/start b_<token>`` after a
``startgroup`` link, supergroup upgrades, and a welcome for people who join.

What the bot writes into a group never names or describes a person.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import (
    IS_MEMBER,
    IS_NOT_MEMBER,
    ChatMemberUpdatedFilter,
    Command,
    CommandObject,
    CommandStart,
)
from aiogram.types import ChatMemberUpdated, Message

from gridbot.domain.groups import (
    GroupChat,
    bind_by_code,
    bind_by_token,
    bot_removed,
    greet_newcomers,
    group_migrated,
    unbind,
)
from gridbot.domain.notices import Notifier
from gridbot.domain.org import Staff
from gridbot.domain.ports import Clock
from gridbot.handlers.types import Render, UowFactory

GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}
BIND_PREFIX = "b_"
WORKER_GROUP = "worker"


def group_chat(message: Message) -> GroupChat:
    return GroupChat(message.chat.id, message.chat.title)


async def on_bot_added(event: ChatMemberUpdated, bot: Bot, render: Render) -> None:
    me = await bot.me()
    await bot.send_message(event.chat.id, render("groups/added.html.j2", bot_username=me.username))


async def on_bot_removed(event: ChatMemberUpdated, uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await bot_removed(uow, event.chat.id)
        await uow.commit()


async def cmd_bind(
    message: Message,
    command: CommandObject,
    uow_factory: UowFactory,
    clock: Clock,
    staff: Staff | None,
    render: Render,
) -> None:
    code, *rest = (command.args or "").split() or [""]
    if not code or rest not in ([], [WORKER_GROUP]):
        await message.answer(render("groups/bind_usage.html.j2"))
        return
    async with uow_factory() as uow:
        bound = await bind_by_code(
            uow, clock, staff, group_chat(message), code, worker_group=bool(rest)
        )
        await uow.commit()
    await message.answer(render("groups/bound.html.j2", bound=bound))


async def cmd_bind_by_link(
    message: Message,
    command: CommandObject,
    uow_factory: UowFactory,
    clock: Clock,
    staff: Staff | None,
    render: Render,
) -> None:
    token = (command.args or "")[len(BIND_PREFIX) :]
    async with uow_factory() as uow:
        bound = await bind_by_token(uow, clock, staff, group_chat(message), token)
        await uow.commit()
    await message.answer(render("groups/bound.html.j2", bound=bound))


async def cmd_unbind(
    message: Message, uow_factory: UowFactory, staff: Staff | None, render: Render
) -> None:
    async with uow_factory() as uow:
        binding = await unbind(uow, staff, message.chat.id)
        await uow.commit()
    await message.answer(render("groups/unbound.html.j2", binding=binding))


async def cmd_bind_in_private(message: Message, render: Render) -> None:
    await message.answer(render("groups/bind_in_private.html.j2"))


async def on_migrated(message: Message, uow_factory: UowFactory) -> None:
    old, new = message.chat.id, message.migrate_to_chat_id
    if message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat.id
    assert new is not None
    async with uow_factory() as uow:
        await group_migrated(uow, old, new)
        await uow.commit()


async def on_newcomers(
    message: Message, uow_factory: UowFactory, clock: Clock, notifier: Notifier
) -> None:
    async with uow_factory() as uow:
        await greet_newcomers(uow, clock, notifier, message.chat.id)
        await uow.commit()


def _humans(members: list[object]) -> bool:
    return any(not getattr(member, "is_bot", True) for member in members)


def build_router() -> Router:
    router = Router(name=__name__)
    in_group = F.chat.type.in_(GROUPS)
    router.my_chat_member.filter(in_group)
    router.my_chat_member.register(
        on_bot_added, ChatMemberUpdatedFilter(IS_NOT_MEMBER >> IS_MEMBER)
    )
    router.my_chat_member.register(
        on_bot_removed, ChatMemberUpdatedFilter(IS_MEMBER >> IS_NOT_MEMBER)
    )
    bind_link = CommandStart(deep_link=True, magic=F.args.startswith(BIND_PREFIX))
    router.message.register(cmd_bind_by_link, in_group, bind_link)
    router.message.register(cmd_bind, in_group, Command("bind"))
    router.message.register(cmd_unbind, in_group, Command("unbind"))
    router.message.register(
        cmd_bind_in_private, F.chat.type == ChatType.PRIVATE, Command("bind", "unbind")
    )
    router.message.register(on_migrated, in_group, F.migrate_to_chat_id | F.migrate_from_chat_id)
    router.message.register(on_newcomers, in_group, F.new_chat_members.func(_humans))
    return router
