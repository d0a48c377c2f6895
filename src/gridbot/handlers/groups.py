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

from gridbot.handlers.common.types import Render
from gridbot.services.context import Actor, Context
from gridbot.services.groups import (
    BindByLink,
    BindGroup,
    GroupChat,
    Unbind,
    bind_by_link,
    bind_group,
    bot_removed,
    greet_newcomers,
    group_migrated,
    unbind,
)

GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}
BIND_PREFIX = "b_"
WORKER_GROUP = "worker"


def group_chat(message: Message) -> GroupChat:
    return GroupChat(message.chat.id, message.chat.title)


async def on_bot_added(event: ChatMemberUpdated, bot: Bot, render: Render) -> None:
    me = await bot.me()
    await bot.send_message(event.chat.id, render("groups/added.html.j2", bot_username=me.username))


async def on_bot_removed(event: ChatMemberUpdated, ctx: Context) -> None:
    await bot_removed(ctx, event.chat.id)


async def cmd_bind(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    code, *rest = (command.args or "").split() or [""]
    if not code or rest not in ([], [WORKER_GROUP]):
        await message.answer(render("groups/bind_usage.html.j2"))
        return
    request = BindGroup(actor, group_chat(message), code, worker_group=bool(rest))
    bound = await bind_group(request, ctx)
    await message.answer(render("groups/bound.html.j2", bound=bound))


async def cmd_bind_by_link(
    message: Message,
    command: CommandObject,
    ctx: Context,
    actor: Actor | None,
    render: Render,
) -> None:
    token = (command.args or "")[len(BIND_PREFIX) :]
    bound = await bind_by_link(BindByLink(actor, group_chat(message), token), ctx)
    await message.answer(render("groups/bound.html.j2", bound=bound))


async def cmd_unbind(message: Message, ctx: Context, actor: Actor | None, render: Render) -> None:
    binding = await unbind(Unbind(actor, message.chat.id), ctx)
    await message.answer(render("groups/unbound.html.j2", binding=binding))


async def cmd_bind_in_private(message: Message, render: Render) -> None:
    await message.answer(render("groups/bind_in_private.html.j2"))


async def on_migrated(message: Message, ctx: Context) -> None:
    old, new = message.chat.id, message.migrate_to_chat_id
    if message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat.id
    assert new is not None
    await group_migrated(ctx, old, new)


async def on_newcomers(message: Message, ctx: Context) -> None:
    await greet_newcomers(ctx, message.chat.id)


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
