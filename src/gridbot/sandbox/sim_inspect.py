"""The observer's side: transcripts, the log of Bot API calls, faults, state and reset."""

from __future__ import annotations

import copy
from typing import Any

from aiohttp import web

from gridbot.sandbox.sim_common import SimError, sim_route
from gridbot.sandbox.state import Chat, Fault, SandboxState, StoredMessage

Json = dict[str, Any]


def who(state: SandboxState, stored: StoredMessage) -> str:
    sender = stored.data.get("from") or {}
    return str(sender.get("first_name") or sender.get("id") or "?")


def names(users: list[Json]) -> str:
    return ", ".join(str(u.get("first_name")) for u in users)


def describe(data: Json) -> str:
    """One message as a line of text; media and service messages get a short [tag]."""
    caption = data.get("caption")
    tail = f" {caption}" if caption else ""
    if "text" in data:
        return str(data["text"])
    if "photo" in data:
        return f"[photo]{tail}"
    if "document" in data:
        return f"[document {data['document'].get('file_name', '')}]{tail}".replace(" ]", "]")
    if "location" in data:
        return f"[location {data['location']['latitude']}, {data['location']['longitude']}]"
    if "poll" in data:
        options = " / ".join(o["text"] for o in data["poll"]["options"])
        return f"[poll {data['poll']['question']}: {options}]"
    if "sticker" in data:
        return f"[sticker {data['sticker'].get('emoji', '')}]"
    if "voice" in data:
        return f"[voice {data['voice'].get('duration', 0)}s]"
    if "new_chat_members" in data:
        return f"[joined: {names(data['new_chat_members'])}]"
    if "left_chat_member" in data:
        return f"[left: {names([data['left_chat_member']])}]"
    if "migrate_to_chat_id" in data:
        return f"[migrated to {data['migrate_to_chat_id']}]"
    if "migrate_from_chat_id" in data:
        return f"[migrated from {data['migrate_from_chat_id']}]"
    return "[message]"


def transcript_text(state: SandboxState, chat: Chat) -> str:
    """``[id] who: text``; inline keyboard rows as ``    [A] [B]``, reply keyboards as ``{A}``."""
    lines = []
    for stored in chat.messages.values():
        lines.append(f"[{stored.message_id}] {who(state, stored)}: {describe(stored.data)}")
        for row in stored.data.get("reply_markup", {}).get("inline_keyboard", []):
            lines.append("    " + " ".join(f"[{button.get('text')}]" for button in row))
        for labels in stored.reply_keyboard or []:
            lines.append("    " + " ".join(f"{{{label}}}" for label in labels))
    return "\n".join(lines) + ("\n" if lines else "")


def transcript_json(state: SandboxState, chat: Chat) -> list[Json]:
    messages = []
    for stored in chat.messages.values():
        item = copy.deepcopy(stored.data)
        item["who"] = who(state, stored)
        item["from_bot"] = stored.from_bot
        item["edited"] = stored.edited
        if stored.reply_keyboard:
            item["reply_keyboard"] = stored.reply_keyboard
        messages.append(item)
    return messages


@sim_route
async def sim_chat(state: SandboxState, body: Json, request: web.Request) -> Any:
    chat = state.chats.get(int(request.match_info["id"]))
    if chat is None:
        raise SimError(f"no chat {request.match_info['id']}", 404)
    if body.get("format") == "text":
        return web.Response(text=transcript_text(state, chat))
    return transcript_json(state, chat)


@sim_route
async def sim_outbox(state: SandboxState, body: Json, request: web.Request) -> list[Json]:
    methods = {m.lower() for m in str(body.get("method") or "").split(",") if m}
    since = int(body.get("since") or 0)
    return [
        call.to_api()
        for call in state.calls
        if call.seq > since and (not methods or call.method.lower() in methods)
    ]


@sim_route
async def sim_fault(state: SandboxState, body: Json, request: web.Request) -> Json:
    """Make the next ``times`` calls of ``method`` ("*": any) fail or answer slowly; with
    ``rate`` (0..1) instead, that share of its calls (drawn from ``seed``) until cleared."""
    if request.method == "DELETE":
        state.faults.clear()
        return {"ok": True}
    code = int(body["code"]) if body.get("code") else None
    delay = float(body.get("delay") or 0)
    if code is None and not delay:
        raise SimError("a fault needs a code or a delay")
    rate = float(body["rate"]) if body.get("rate") is not None else None
    if rate is not None and not 0 <= rate <= 1:
        raise SimError("rate is a share of the calls, from 0 to 1")
    fault = Fault(
        method=str(body.get("method") or "*"),
        code=code,
        retry_after=int(body["retry_after"]) if body.get("retry_after") else None,
        times=int(body.get("times") or 1),
        delay=delay,
        description=body.get("description"),
        rate=rate,
        seed=int(body["seed"]) if body.get("seed") is not None else None,
    )
    state.faults.append(fault)
    return {"ok": True, "faults": len(state.faults)}


@sim_route
async def sim_reset(state: SandboxState, body: Json, request: web.Request) -> Json:
    state.reset()
    return {"ok": True}


def chat_summary(chat: Chat) -> Json:
    return {
        **chat.to_api(),
        "bot_status": chat.bot_status,
        "members": {str(uid): status for uid, status in chat.members.items()},
        "migrated_to": chat.migrated_to,
        "message_count": len(chat.messages),
        "reply_keyboard": chat.reply_keyboard,
    }


@sim_route
async def sim_state(state: SandboxState, body: Json, request: web.Request) -> Json:
    webhook = state.webhook
    return {
        "bot": state.bot.to_api(),
        "users": [
            {**u.to_api(), "started": u.started, "blocked": u.blocked} for u in state.users.values()
        ],
        "chats": [chat_summary(chat) for chat in state.chats.values()],
        "webhook": None
        if webhook is None
        else {"url": webhook.url, "last_error": webhook.last_error_message},
        "pending_updates": len(state.updates),
        "allowed_updates": state.updates.allowed_updates,
        "commands": [
            {"scope": scope, "language_code": language, "commands": commands}
            for (scope, language), commands in state.commands.items()
        ],
        "faults": [fault.to_api() for fault in state.faults],
        "calls": len(state.calls),
    }


def add_routes(app: web.Application) -> None:
    app.router.add_get("/sim/chat/{id}", sim_chat)
    app.router.add_get("/sim/outbox", sim_outbox)
    app.router.add_post("/sim/fault", sim_fault)
    app.router.add_delete("/sim/fault", sim_fault)
    app.router.add_post("/sim/reset", sim_reset)
    app.router.add_get("/sim/state", sim_state)
