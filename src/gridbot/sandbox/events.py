"""Things that happen in the world and become updates for the bot."""

from __future__ import annotations

import copy
import time
from typing import Any

from gridbot.sandbox.state import Chat, SandboxState, StoredMessage, User

Json = dict[str, Any]

ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_send_welcome_messages",
)
PRESENT = ("creator", "administrator", "member")


def member_object(user: User, status: str) -> Json:
    """A ChatMember of the right kind for ``status``."""
    member: Json = {"status": status, "user": user.to_api()}
    if status == "kicked":
        member["until_date"] = 0
    elif status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(can_be_edited=False, is_anonymous=False)
        member.update(dict.fromkeys(ADMIN_RIGHTS, True))
    return member


def push_message(state: SandboxState, stored: StoredMessage, kind: str = "message") -> int | None:
    # A copy: a later edit must not change an update already queued.
    return state.updates.push(kind, copy.deepcopy(stored.data))


def post_service_message(
    state: SandboxState, chat: Chat, actor: User, fields: Json
) -> tuple[StoredMessage, int | None]:
    stored = state.add_message(chat, actor, fields)
    return stored, push_message(state, stored)


def push_my_chat_member(
    state: SandboxState, chat: Chat, actor: User, old: str, new: str
) -> int | None:
    return state.updates.push(
        "my_chat_member",
        {
            "chat": chat.to_api(),
            "from": actor.to_api(),
            "date": int(time.time()),
            "old_chat_member": member_object(state.bot, old),
            "new_chat_member": member_object(state.bot, new),
        },
    )


def push_chat_member(
    state: SandboxState, chat: Chat, actor: User, user: User, old: str, new: str
) -> int | None:
    return state.updates.push(
        "chat_member",
        {
            "chat": chat.to_api(),
            "from": actor.to_api(),
            "date": int(time.time()),
            "old_chat_member": member_object(user, old),
            "new_chat_member": member_object(user, new),
        },
    )


def set_bot_status(state: SandboxState, chat: Chat, actor: User, status: str) -> int | None:
    old, chat.bot_status = chat.bot_status, status
    if old == status:
        return None
    return push_my_chat_member(state, chat, actor, old, status)
