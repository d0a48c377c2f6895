"""The person's side: people, groups joining and leaving, migrations, blocking the bot."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from gridbot.sandbox.events import (
    PRESENT,
    post_service_message,
    push_chat_member,
    set_bot_status,
)
from gridbot.sandbox.sim_common import DEFAULT_USER_ID, SimError, bot_present, person, sim_route
from gridbot.sandbox.state import Chat, SandboxState, User

Json = dict[str, Any]


@sim_route
async def sim_users(state: SandboxState, body: Json, request: web.Request) -> Json:
    """Register a persona ahead of time; ``started`` opens their private chat."""
    user = person(state, body)
    if body.get("started"):
        user.started = True
        state.private_chat(user)
    return {"ok": True, "user": user.to_api(), "started": user.started}


def group_of(state: SandboxState, body: Json, bot_status_if_new: str) -> Chat:
    chat_id = int(body["chat_id"])
    if chat_id >= 0:
        raise SimError("groups have negative chat ids")
    chat = state.ensure_group(
        chat_id, body.get("chat_type"), body.get("chat_title"), bot_status_if_new
    )
    if chat.migrated_to is not None:
        raise SimError(f"chat {chat_id} was migrated to the supergroup {chat.migrated_to}")
    return chat


def actor_of(state: SandboxState, body: Json) -> User:
    """Who adds or removes someone: ``from_user_id``, else the default person."""
    return person(state, {"user_id": body.get("from_user_id") or DEFAULT_USER_ID})


def announce(state: SandboxState, chat: Chat, actor: User, fields: Json) -> int | None:
    return post_service_message(state, chat, actor, fields)[1]


@sim_route
async def sim_join(state: SandboxState, body: Json, request: web.Request) -> Json:
    is_bot = int(body.get("user_id") or 0) == state.bot.id
    chat = group_of(state, body, "left" if is_bot else "member")
    if is_bot:
        actor = actor_of(state, body)
        chat.members.setdefault(actor.id, "creator")
        was_present = chat.bot_status in PRESENT
        update_ids = [set_bot_status(state, chat, actor, body.get("status") or "member")]
        if not was_present:
            update_ids.append(
                announce(state, chat, actor, {"new_chat_members": [state.bot.to_api()]})
            )
        return {"ok": True, "chat_id": chat.id, "update_ids": update_ids}
    user = person(state, body)
    old = chat.members.get(user.id, "left")
    chat.members[user.id] = body.get("status") or "member"
    adder = actor_of(state, body) if body.get("from_user_id") else user
    update_ids = []
    if bot_present(chat):
        update_ids.append(announce(state, chat, adder, {"new_chat_members": [user.to_api()]}))
        update_ids.append(push_chat_member(state, chat, adder, user, old, chat.members[user.id]))
    return {"ok": True, "chat_id": chat.id, "update_ids": update_ids}


@sim_route
async def sim_leave(state: SandboxState, body: Json, request: web.Request) -> Json:
    chat = group_of(state, body, "left")
    new_status = "kicked" if body.get("kicked") else "left"
    if int(body.get("user_id") or 0) == state.bot.id:
        actor = actor_of(state, body)
        if chat.bot_status not in PRESENT:
            raise SimError(f"the bot is not in chat {chat.id}")
        update_ids = [set_bot_status(state, chat, actor, new_status)]
        update_ids.append(announce(state, chat, actor, {"left_chat_member": state.bot.to_api()}))
        return {"ok": True, "chat_id": chat.id, "update_ids": update_ids}
    user = person(state, body)
    old = chat.members.get(user.id, "left")
    chat.members[user.id] = new_status
    remover = actor_of(state, body) if body.get("from_user_id") else user
    update_ids = []
    if bot_present(chat):
        update_ids.append(announce(state, chat, remover, {"left_chat_member": user.to_api()}))
        update_ids.append(push_chat_member(state, chat, remover, user, old, new_status))
    return {"ok": True, "chat_id": chat.id, "update_ids": update_ids}


@sim_route
async def sim_migrate(state: SandboxState, body: Json, request: web.Request) -> Json:
    """A group becomes a supergroup with a new id; the old id is then refused."""
    old = state.chats.get(int(body["chat_id"]))
    if old is None or old.type != "group" or old.migrated_to is not None:
        raise SimError(f"chat {body['chat_id']} is not a (not yet migrated) basic group")
    actor = actor_of(state, body) if body.get("from_user_id") else None
    if actor is None:
        owner = next((uid for uid, s in old.members.items() if s == "creator"), None)
        actor = state.users.get(owner or 0) or actor_of(state, body)
    new = Chat(
        id=state.new_supergroup_id(),
        type="supergroup",
        title=old.title,
        members=dict(old.members),
        bot_status=old.bot_status,
    )
    state.chats[new.id] = new
    update_ids = []
    if bot_present(old):
        update_ids.append(announce(state, old, actor, {"migrate_to_chat_id": new.id}))
        update_ids.append(announce(state, new, actor, {"migrate_from_chat_id": old.id}))
    old.migrated_to = new.id
    return {"ok": True, "old_chat_id": old.id, "new_chat_id": new.id, "update_ids": update_ids}


@sim_route
async def sim_block(state: SandboxState, body: Json, request: web.Request) -> Json:
    """The person blocks (or, with ``blocked: false``, unblocks) the bot."""
    user = person(state, body)
    blocked = bool(body.get("blocked", True))
    chat = state.private_chat(user)
    user.blocked = blocked
    if not blocked:
        user.started = True
    update_id = set_bot_status(state, chat, user, "kicked" if blocked else "member")
    return {"ok": True, "user_id": user.id, "blocked": blocked, "update_id": update_id}


def add_routes(app: web.Application) -> None:
    app.router.add_post("/sim/users", sim_users)
    app.router.add_post("/sim/join", sim_join)
    app.router.add_post("/sim/leave", sim_leave)
    app.router.add_post("/sim/migrate", sim_migrate)
    app.router.add_post("/sim/block", sim_block)
