"""The stand's transcript in a file: people, chats with their messages, and files.

``gridbot demo`` writes it next to its database when it stops and reads it back when it
starts on the same database, so the chats of the web chat survive a restart of the demo
along with the cases. Calls, faults, callbacks and pending updates are not kept: they
belong to one run. A file that cannot be read leaves the stand empty (``load_state``
answers False) and the page says the transcript was reset.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from gridbot.sandbox.state import Chat, FileRecord, SandboxState, StoredMessage, User

Json = dict[str, Any]
VERSION = 1


def snapshot_of(state: SandboxState) -> Json:
    return {
        "version": VERSION,
        "bot_id": state.bot.id,
        "epoch": state.epoch,
        "users": [asdict(user) for user in state.users.values()],
        "chats": [_chat_json(chat) for chat in state.chats.values()],
        "files": [_file_json(record) for record in state.files.values()],
    }


def _chat_json(chat: Chat) -> Json:
    return {
        "id": chat.id,
        "type": chat.type,
        "title": chat.title,
        "user_id": chat.user.id if chat.user is not None else None,
        "members": [[user_id, status] for user_id, status in chat.members.items()],
        "bot_status": chat.bot_status,
        "migrated_to": chat.migrated_to,
        "next_message_id": chat.next_message_id,
        "reply_keyboard": chat.reply_keyboard,
        "messages": [
            {
                "data": stored.data,
                "from_bot": stored.from_bot,
                "edited": stored.edited,
                "reply_keyboard": stored.reply_keyboard,
            }
            for stored in chat.messages.values()
        ],
    }


def _file_json(record: FileRecord) -> Json:
    data = asdict(record)
    data["content"] = base64.b64encode(record.content).decode("ascii")
    return data


def restore(state: SandboxState, snapshot: Json) -> None:
    """Replace the stand's people, chats and files with those of ``snapshot``."""
    if snapshot.get("version") != VERSION:
        raise ValueError(f"unknown snapshot version {snapshot.get('version')!r}")
    if snapshot.get("bot_id") != state.bot.id:
        raise ValueError("the snapshot is of another bot")
    users = {int(data["id"]): User(**data) for data in snapshot["users"]}
    chats: dict[int, Chat] = {}
    for data in snapshot["chats"]:
        user_id = data["user_id"]
        chat = Chat(
            id=int(data["id"]),
            type=str(data["type"]),
            title=data["title"],
            user=users.get(int(user_id)) if user_id is not None else None,
            members={int(user): str(status) for user, status in data["members"]},
            bot_status=str(data["bot_status"]),
            migrated_to=data["migrated_to"],
            next_message_id=int(data["next_message_id"]),
            reply_keyboard=data["reply_keyboard"],
        )
        for message in data["messages"]:
            stored = StoredMessage(
                data=message["data"],
                from_bot=bool(message["from_bot"]),
                edited=bool(message["edited"]),
                reply_keyboard=message["reply_keyboard"],
            )
            chat.messages[stored.message_id] = stored
        chats[chat.id] = chat
    files = {}
    for data in snapshot["files"]:
        record = FileRecord(**{**data, "content": base64.b64decode(data["content"])})
        files[record.file_id] = record
    state.reset()
    state.users, state.chats, state.files = users, chats, files
    state.epoch = str(snapshot["epoch"])


def save_state(state: SandboxState, path: Path) -> None:
    """Write the snapshot atomically: a crash while writing leaves the old file whole."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(snapshot_of(state), ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)


def load_state(state: SandboxState, path: Path) -> bool:
    """Restore ``path`` into ``state``; False (and the stand unchanged) when there is no
    such file or it is not a snapshot of this bot."""
    try:
        snapshot = json.loads(path.read_text(encoding="utf-8"))
        restore(state, snapshot)
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True
