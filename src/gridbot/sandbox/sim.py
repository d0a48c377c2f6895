"""The person's side: what people send to the bot (messages, media, button taps)."""

from __future__ import annotations

import base64
import copy
import re
import secrets
from typing import Any

from aiohttp import web

from gridbot.sandbox.events import push_message, set_bot_status
from gridbot.sandbox.files import store_document, store_photo, tiny_png
from gridbot.sandbox.sim_common import SimError, bot_present, chat_of, person, sim_route
from gridbot.sandbox.state import CallbackRecord, Chat, SandboxState, StoredMessage, User
from gridbot.sandbox.validation import utf16_length

Json = dict[str, Any]
ENTITY_PATTERNS = (
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{3,32}")),
    ("url", re.compile(r"https?://[^\s]+")),
)


def text_entities(text: str) -> list[Json]:
    """The entities Telegram finds by itself in what a person types."""
    found = [
        {
            "type": kind,
            "offset": utf16_length(text[: m.start()]),
            "length": utf16_length(m.group(0)),
        }
        for kind, pattern in ENTITY_PATTERNS
        for m in pattern.finditer(text)
    ]
    return sorted(found, key=lambda e: e["offset"])


def person_posts(state: SandboxState, body: Json, fields: Json) -> Json:
    """Store what a person sent and, when the bot is there to see it, queue the update."""
    user = person(state, body)
    chat = chat_of(state, body, user)
    if chat.type == "private":
        user.started = True
        if user.blocked:  # writing to a blocked bot means pressing "Restart"
            user.blocked = False
            set_bot_status(state, chat, user, "member")
    if body.get("reply_to_message_id"):
        replied = chat.messages.get(int(body["reply_to_message_id"]))
        if replied is None:
            raise SimError(f"no message {body['reply_to_message_id']} in chat {chat.id}")
        quoted = {k: v for k, v in replied.data.items() if k != "reply_to_message"}
        fields = {**fields, "reply_to_message": copy.deepcopy(quoted)}
    stored = state.add_message(chat, user, fields)
    update_id = push_message(state, stored) if bot_present(chat) else None
    return {"ok": True, "message_id": stored.message_id, "update_id": update_id, "chat_id": chat.id}


@sim_route
async def sim_message(state: SandboxState, body: Json, request: web.Request) -> Json:
    text = str(body.get("text") or "")
    if body.get("mention"):
        text = f"@{state.bot.username} {text}"
    if not text:
        raise SimError("text is empty")
    fields: Json = {"text": text}
    if entities := text_entities(text):
        fields["entities"] = entities
    return person_posts(state, body, fields)


def uploaded_bytes(body: Json) -> bytes | None:
    content = body.get("content_base64")
    return base64.b64decode(content) if content else None


@sim_route
async def sim_photo(state: SandboxState, body: Json, request: web.Request) -> Json:
    fields: Json = {"photo": store_photo(state, uploaded_bytes(body) or tiny_png())}
    if body.get("caption"):
        fields["caption"] = str(body["caption"])
        if entities := text_entities(fields["caption"]):
            fields["caption_entities"] = entities
    if body.get("media_group_id"):
        fields["media_group_id"] = str(body["media_group_id"])
    return person_posts(state, body, fields)


@sim_route
async def sim_location(state: SandboxState, body: Json, request: web.Request) -> Json:
    location = {"latitude": float(body["latitude"]), "longitude": float(body["longitude"])}
    return person_posts(state, body, {"location": location})


@sim_route
async def sim_sticker(state: SandboxState, body: Json, request: web.Request) -> Json:
    record = state.add_file(b"RIFF-sticker", "stickers", "webp", width=512, height=512)
    sticker = {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": body.get("emoji") or "👍",
    }
    return person_posts(state, body, {"sticker": sticker})


@sim_route
async def sim_voice(state: SandboxState, body: Json, request: web.Request) -> Json:
    record = state.add_file(b"OggS-voice", "voice", "oga", mime_type="audio/ogg")
    voice = {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "duration": int(body.get("duration") or 3),
        "mime_type": "audio/ogg",
        "file_size": len(record.content),
    }
    return person_posts(state, body, {"voice": voice})


@sim_route
async def sim_document(state: SandboxState, body: Json, request: web.Request) -> Json:
    name = str(body.get("file_name") or "document.pdf")
    content = uploaded_bytes(body) or b"%PDF-1.4\n% sandbox document\n"
    document = store_document(state, content, name, body.get("mime_type") or "application/pdf")
    fields: Json = {"document": document}
    if body.get("caption"):
        fields["caption"] = str(body["caption"])
    return person_posts(state, body, fields)


def message_with_keyboard(chat: Chat, message_id: Any) -> StoredMessage:
    if message_id is not None:
        stored = chat.messages.get(int(message_id))
        if stored is None:
            raise SimError(f"no message {message_id} in chat {chat.id}")
        return stored
    for stored in reversed(chat.messages.values()):
        if stored.from_bot and "inline_keyboard" in stored.data.get("reply_markup", {}):
            return stored
    raise SimError(f"no bot message with an inline keyboard in chat {chat.id}")


def find_button(stored: StoredMessage, label: Any, data: Any) -> Json:
    rows = stored.data.get("reply_markup", {}).get("inline_keyboard", [])
    buttons = [button for row in rows for button in row]
    for button in buttons:
        if (label is not None and button.get("text") == label) or (
            data is not None and button.get("callback_data") == data
        ):
            if button.get("callback_data") is None:
                raise SimError(f"button {button.get('text')!r} is not a callback button")
            return dict(button)
    labels = ", ".join(repr(b.get("text")) for b in buttons) or "none"
    wanted = f"label {label!r}" if label is not None else f"data {data!r}"
    raise SimError(f"no button with {wanted} on message {stored.message_id}; its buttons: {labels}")


def tap(state: SandboxState, user: User, chat: Chat, stored: StoredMessage, data: str) -> Json:
    record = CallbackRecord(
        id=str(secrets.randbits(63)),
        user_id=user.id,
        chat_id=chat.id,
        message_id=stored.message_id,
        data=data,
    )
    state.callbacks[record.id] = record
    update_id = state.updates.push(
        "callback_query",
        {
            "id": record.id,
            "from": user.to_api(),
            "message": copy.deepcopy(stored.data),
            "chat_instance": str(abs(hash(("chat", chat.id))) % 10**18),
            "data": data,
        },
    )
    return {"ok": True, "callback_query_id": record.id, "update_id": update_id}


@sim_route
async def sim_callback(state: SandboxState, body: Json, request: web.Request) -> Json:
    if body.get("label") is None and body.get("data") is None:
        raise SimError("say which button: label or data")
    user = person(state, body)
    chat = chat_of(state, body, user)
    stored = message_with_keyboard(chat, body.get("message_id"))
    button = find_button(stored, body.get("label"), body.get("data"))
    return tap(state, user, chat, stored, str(button["callback_data"]))


@sim_route
async def sim_callback_answer(state: SandboxState, body: Json, request: web.Request) -> Json:
    record = state.callbacks.get(request.match_info["id"])
    if record is None:
        raise SimError("no such callback query", 404)
    return {"ok": True, "answered": record.answered, "answer": record.answer}


def add_routes(app: web.Application) -> None:
    app.router.add_post("/sim/message", sim_message)
    app.router.add_post("/sim/photo", sim_photo)
    app.router.add_post("/sim/location", sim_location)
    app.router.add_post("/sim/sticker", sim_sticker)
    app.router.add_post("/sim/voice", sim_voice)
    app.router.add_post("/sim/document", sim_document)
    app.router.add_post("/sim/callback", sim_callback)
    app.router.add_get("/sim/callback/{id}", sim_callback_answer)
