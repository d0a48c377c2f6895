"""Bot API: the command menus, per scope and language."""

from __future__ import annotations

import re
from typing import Any

from gridbot.sandbox.calls import Call, api_method
from gridbot.sandbox.errors import bad_request

Json = dict[str, Any]
COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
SCOPES_WITH_CHAT = ("chat", "chat_administrators", "chat_member")
SCOPES = ("default", "all_private_chats", "all_group_chats", "all_chat_administrators")


def scope_key(call: Call) -> str:
    """``default``, ``chat:<id>``, ``chat_member:<chat id>:<user id>`` and so on."""
    scope = call.obj("scope") or {"type": "default"}
    kind = scope.get("type") if isinstance(scope, dict) else None
    if kind in SCOPES:
        return str(kind)
    if kind not in SCOPES_WITH_CHAT:
        raise bad_request("can't parse BotCommandScope JSON object")
    chat_id: Any = scope.get("chat_id")
    if str(chat_id).lstrip("-").isdigit():
        chat_id = int(str(chat_id))
    if chat_id not in call.state.chats:
        raise bad_request("chat not found")
    if kind != "chat_member":
        return f"{kind}:{chat_id}"
    user_id = scope.get("user_id")
    if user_id is None or int(user_id) not in call.state.users:
        raise bad_request("user not found")
    return f"chat_member:{chat_id}:{int(user_id)}"


def language(call: Call) -> str:
    code = call.text("language_code") or ""
    if code and not re.fullmatch(r"[a-z]{2}", code):
        raise bad_request("invalid language code specified")
    return code


def checked_commands(commands: Any) -> list[Json]:
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    checked = []
    for item in commands:
        if not isinstance(item, dict) or not COMMAND.match(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(item.get("description", ""))
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": item["command"], "description": description})
    return checked


@api_method("setMyCommands")
async def set_my_commands(call: Call) -> bool:
    commands = checked_commands(call.obj("commands"))
    key = (scope_key(call), language(call))
    if commands:
        call.state.commands[key] = commands
    else:
        call.state.commands.pop(key, None)
    return True


@api_method("getMyCommands")
async def get_my_commands(call: Call) -> list[Json]:
    return list(call.state.commands.get((scope_key(call), language(call)), []))


@api_method("deleteMyCommands")
async def delete_my_commands(call: Call) -> bool:
    call.state.commands.pop((scope_key(call), language(call)), None)
    return True
