"""Group chats: binding them to units, following them when Telegram changes them, and
welcoming newcomers. Nothing here ever puts personal data into a group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.errors import DomainError, NotFound, PermissionDenied
from gridbot.domain.membership import NotJoinable, UnknownLink, grid_of
from gridbot.domain.notices import Button, Keyboard, Notifier
from gridbot.domain.org import GridKind, OrgUnit, Staff
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.policy import Action, require
from gridbot.domain.ports import Clock, UnitOfWork


def N_(msgid: str) -> str:
    """Marks a button label for the catalogs; the notifier translates it for the chat."""
    return msgid


GREETING_INTERVAL = timedelta(minutes=5)
WELCOME_TEMPLATE = "groups/welcome.html.j2"
OPEN_PRIVATE_CHAT = N_("Join my grid in a private chat")


class UnknownUnit(NotFound):
    code = "unknown_unit"


class GroupNotBound(DomainError):
    code = "group_not_bound"


@dataclass(frozen=True)
class GroupChat:
    chat_id: int
    title: str | None = None


@dataclass(frozen=True)
class Bound:
    binding: ChatBinding
    unit: OrgUnit


async def bind_by_code(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff | None,
    chat: GroupChat,
    code: str,
    *,
    worker_group: bool = False,
) -> Bound:
    """``/bind CODE [worker]`` in a group, by someone who may bind groups on that unit."""
    unit = await uow.org.get_unit(code) if code else None
    if unit is None:
        raise UnknownUnit("unknown unit code", code=code)
    return await _bind(uow, clock, staff, chat, unit, worker_group)


async def bind_by_token(
    uow: UnitOfWork, clock: Clock, staff: Staff | None, chat: GroupChat, token: str
) -> Bound:
    """``/start b_<token>`` in a group (Telegram sends it after a ``startgroup`` link)."""
    unit = await uow.org.unit_by_token(token) if token else None
    if unit is None or unit.bind_token != token:
        raise UnknownLink("unknown bind token", token=token)
    return await _bind(uow, clock, staff, chat, unit, False)


async def unbind(uow: UnitOfWork, staff: Staff | None, chat_id: int) -> ChatBinding:
    """``/unbind`` by the same kinds of staff who may bind the group's unit."""
    binding = await uow.bindings.get(chat_id)
    if binding is None or not binding.active:
        raise GroupNotBound("this group is not bound", chat_id=chat_id)
    tree = OrgTree(await uow.org.list_units())
    _require_binder(staff, tree, binding.unit_code)
    await uow.bindings.deactivate(chat_id)
    binding.active = False
    return binding


async def bot_removed(uow: UnitOfWork, chat_id: int) -> bool:
    """The bot left, was kicked, or can no longer post: the binding stops being used."""
    return await uow.bindings.deactivate(chat_id)


async def group_migrated(uow: UnitOfWork, old_chat_id: int, new_chat_id: int) -> bool:
    """A group became a supergroup: its binding and its pending messages follow the new id.
    Telegram tells this twice (in the old chat and the new one); the second time is a no-op."""
    moved = await uow.bindings.migrate(old_chat_id, new_chat_id)
    await uow.outbox.reroute_chat(old_chat_id, new_chat_id)
    return moved


async def greet_newcomers(uow: UnitOfWork, clock: Clock, notifier: Notifier, chat_id: int) -> bool:
    """Welcome people who joined a bound building or enterprise group with a button into the
    private chat, at most once per ``GREETING_INTERVAL`` however many join."""
    binding = await uow.bindings.get(chat_id)
    if binding is None or not binding.active or binding.kind == BindingKind.WORKER_GROUP:
        return False
    unit = await uow.org.get_unit(binding.unit_code)
    if unit is None or not unit.join_token:
        return False
    now = clock.now()
    if not await uow.bindings.claim_greeting(chat_id, now, now - GREETING_INTERVAL):
        return False
    button = Button(OPEN_PRIVATE_CHAT, start_payload=f"j_{unit.join_token}")
    keyboard = Keyboard.of([button])
    await notifier.to_chat(uow, chat_id, WELCOME_TEMPLATE, keyboard=keyboard, unit_name=unit.name)
    return True


async def _bind(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff | None,
    chat: GroupChat,
    unit: OrgUnit,
    worker_group: bool,
) -> Bound:
    tree = OrgTree(await uow.org.list_units())
    _require_binder(staff, tree, unit.code)
    assert staff is not None
    kind = await _kind_for(uow, unit, worker_group)
    binding = ChatBinding(
        chat_id=chat.chat_id,
        unit_code=unit.code,
        kind=kind,
        bound_at=clock.now(),
        title=chat.title,
        bound_by=staff.person.id,
    )
    return Bound(await uow.bindings.save(binding), unit)


def _require_binder(staff: Staff | None, tree: OrgTree, unit_code: str) -> None:
    if staff is None:
        raise PermissionDenied("strangers may not bind groups", action=Action.BIND_GROUP.value)
    require(staff, Action.BIND_GROUP, tree=tree, unit_code=unit_code)


async def _kind_for(uow: UnitOfWork, unit: OrgUnit, worker_group: bool) -> BindingKind:
    """Building groups for buildings and residential grids, enterprise groups for dedicated
    grids, a worker group on request (grids only)."""
    grid = await grid_of(uow, unit)
    if grid is None:
        raise NotJoinable("groups are bound to grids and buildings", code=unit.code)
    if worker_group:
        if grid.code != unit.code:
            raise NotJoinable("worker groups are bound to grids", code=unit.code)
        return BindingKind.WORKER_GROUP
    return BindingKind.ENTERPRISE if grid.kind == GridKind.DEDICATED else BindingKind.BUILDING
