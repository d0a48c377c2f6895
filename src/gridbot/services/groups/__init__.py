"""Group chats: binding them to units, following them when Telegram changes them, and
welcoming newcomers. Nothing here ever puts personal data into a group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.errors import (
    GroupNotBound,
    NotJoinable,
    PermissionDenied,
    UnknownLink,
    UnknownUnit,
)
from gridbot.domain.org import GridKind, OrgUnit
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import Action, require
from gridbot.services.common import tree_around
from gridbot.services.context import Actor, Context, known
from gridbot.services.ports import UnitOfWork

GREETING_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class GroupChat:
    chat_id: int
    title: str | None = None


@dataclass(frozen=True)
class BindGroup:
    """``/bind CODE [worker]`` in a group, by someone who may bind groups on that unit."""

    actor: Actor | None
    chat: GroupChat
    code: str
    worker_group: bool = False


@dataclass(frozen=True)
class BindByLink:
    """``/start b_<token>`` in a group (Telegram sends it after a ``startgroup`` link)."""

    actor: Actor | None
    chat: GroupChat
    token: str


@dataclass(frozen=True)
class Unbind:
    """``/unbind``, by the same kinds of staff who may bind the group's unit."""

    actor: Actor | None
    chat_id: int


@dataclass(frozen=True)
class Bound:
    binding: ChatBinding
    unit: OrgUnit


async def bind_group(cmd: BindGroup, ctx: Context) -> Bound:
    async with ctx.writing() as uow:
        unit = await uow.org.get_unit(cmd.code) if cmd.code else None
        if unit is None:
            raise UnknownUnit("unknown unit code", code=cmd.code)
        bound = await _bind(uow, ctx, cmd.actor, cmd.chat, unit, cmd.worker_group)
        await uow.commit()
    return bound


async def bind_by_link(cmd: BindByLink, ctx: Context) -> Bound:
    async with ctx.writing() as uow:
        unit = await uow.org.unit_by_token(cmd.token) if cmd.token else None
        if unit is None or unit.bind_token != cmd.token:
            raise UnknownLink("unknown bind token", token=cmd.token)
        bound = await _bind(uow, ctx, cmd.actor, cmd.chat, unit, False)
        await uow.commit()
    return bound


async def unbind(cmd: Unbind, ctx: Context) -> ChatBinding:
    async with ctx.writing() as uow:
        binding = await uow.bindings.get(cmd.chat_id)
        if binding is None or not binding.active:
            raise GroupNotBound("this group is not bound", chat_id=cmd.chat_id)
        await _require_binder(uow, cmd.actor, binding.unit_code)
        await uow.bindings.deactivate(cmd.chat_id)
        binding.active = False
        await uow.commit()
    return binding


async def is_bound(ctx: Context, chat_id: int) -> bool:
    """Whether reports may start in this group (it is bound to a unit)."""
    async with ctx.reading() as uow:
        binding = await uow.bindings.get(chat_id)
    return binding is not None and binding.active


async def bot_removed(ctx: Context, chat_id: int) -> bool:
    """The bot left, was kicked, or can no longer post: the binding stops being used."""
    async with ctx.writing() as uow:
        removed = await uow.bindings.deactivate(chat_id)
        await uow.commit()
    return removed


async def group_migrated(ctx: Context, old_chat_id: int, new_chat_id: int) -> bool:
    """A group became a supergroup: its binding and its pending messages follow the new id.
    Telegram tells this twice (in the old chat and the new one); the second time is a no-op."""
    async with ctx.writing() as uow:
        moved = await uow.bindings.migrate(old_chat_id, new_chat_id)
        await uow.outbox.reroute_chat(old_chat_id, new_chat_id)
        await uow.commit()
    return moved


async def greet_newcomers(ctx: Context, chat_id: int) -> bool:
    """Welcome people who joined a bound building or enterprise group with a button into
    the private chat, at most once per ``GREETING_INTERVAL`` however many join."""
    async with ctx.writing() as uow:
        binding = await uow.bindings.get(chat_id)
        if binding is None or not binding.active or binding.kind == BindingKind.WORKER_GROUP:
            return False
        unit = await uow.org.get_unit(binding.unit_code)
        if unit is None or not unit.join_token:
            return False
        now = ctx.clock.now()
        if not await uow.bindings.claim_greeting(chat_id, now, now - GREETING_INTERVAL):
            return False
        await ctx.notices.welcome(uow, chat_id, unit)
        await uow.commit()
    return True


async def _bind(
    uow: UnitOfWork,
    ctx: Context,
    actor: Actor | None,
    chat: GroupChat,
    unit: OrgUnit,
    worker_group: bool,
) -> Bound:
    tree = await _require_binder(uow, actor, unit.code)
    binding = ChatBinding(
        chat_id=chat.chat_id,
        unit_code=unit.code,
        kind=_kind_for(tree, unit, worker_group),
        bound_at=ctx.clock.now(),
        title=chat.title,
        bound_by=known(actor).id,
    )
    return Bound(await uow.bindings.save(binding), unit)


async def _require_binder(uow: UnitOfWork, actor: Actor | None, unit_code: str) -> OrgTree:
    if actor is None:
        raise PermissionDenied("strangers may not bind groups", action=Action.BIND_GROUP.value)
    tree = await tree_around(uow, [unit_code], actor.tree)
    require(actor.staff, Action.BIND_GROUP, tree=tree, unit_code=unit_code)
    return tree


def _kind_for(tree: OrgTree, unit: OrgUnit, worker_group: bool) -> BindingKind:
    """Building groups for buildings and residential grids, enterprise groups for dedicated
    grids, a worker group on request (grids only)."""
    grid = tree.grid_of(unit.code)
    if grid is None:
        raise NotJoinable("groups are bound to grids and buildings", code=unit.code)
    if worker_group:
        if grid.code != unit.code:
            raise NotJoinable("worker groups are bound to grids", code=unit.code)
        return BindingKind.WORKER_GROUP
    return BindingKind.ENTERPRISE if grid.kind == GridKind.DEDICATED else BindingKind.BUILDING
