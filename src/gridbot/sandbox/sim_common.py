"""Shared pieces of the person's side (``/sim/...``): bodies, errors, people and chats."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from gridbot.sandbox.botapi import STATE_KEY
from gridbot.sandbox.state import Chat, SandboxState, User

Json = dict[str, Any]
DEFAULT_USER_ID = 1001
DEFAULT_LANGUAGE = "zh-hans"


class SimError(Exception):
    """A request the stand cannot act out; answered with 400 (or ``status``)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def reply(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda d: json.dumps(d, ensure_ascii=False))


SimHandler = Callable[[SandboxState, Json, web.Request], Awaitable[Any]]


def sim_route(handler: SimHandler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Read the JSON body (or query), run the handler, turn its refusal into a 400."""

    @functools.wraps(handler)
    async def route(request: web.Request) -> web.StreamResponse:
        body: Json = dict(request.query)
        if request.can_read_body:
            try:
                data = await request.json()
            except ValueError:
                return reply({"ok": False, "error": "the body must be a JSON object"}, 400)
            if isinstance(data, dict):
                body.update(data)
        try:
            result = await handler(request.app[STATE_KEY], body, request)
        except SimError as error:
            return reply({"ok": False, "error": str(error)}, error.status)
        except (KeyError, TypeError, ValueError) as error:
            return reply({"ok": False, "error": f"bad request: {error!r}"}, 400)
        return result if isinstance(result, web.StreamResponse) else reply(result)

    return route


def person(state: SandboxState, body: Json, key: str = "user_id") -> User:
    user_id = int(body.get(key) or DEFAULT_USER_ID)
    is_new = user_id not in state.users
    user = state.ensure_user(
        user_id,
        first_name=body.get("first_name"),
        username=body.get("username"),
        last_name=body.get("last_name"),
        language_code=body.get("language_code") or (DEFAULT_LANGUAGE if is_new else None),
    )
    return user


def chat_of(state: SandboxState, body: Json, user: User) -> Chat:
    """The chat a person acts in: their private chat with the bot unless chat_id names another."""
    chat_id = body.get("chat_id")
    if chat_id is None or int(chat_id) == user.id:
        if body.get("chat_type") not in (None, "private"):
            raise SimError("a group needs its own (negative) chat_id")
        return state.private_chat(user)
    chat_id = int(chat_id)
    if chat_id > 0:
        raise SimError(f"chat {chat_id} is another person's private chat")
    chat = state.ensure_group(chat_id, body.get("chat_type"), body.get("chat_title"))
    if chat.migrated_to is not None:
        raise SimError(f"chat {chat_id} was migrated to the supergroup {chat.migrated_to}")
    if user.id != state.bot.id and chat.members.get(user.id) not in ("creator", "administrator"):
        chat.members[user.id] = "member"
    return chat


def bot_present(chat: Chat) -> bool:
    return chat.type == "private" or chat.bot_status in ("creator", "administrator", "member")
