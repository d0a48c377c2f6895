"""Bot API: the bot itself, updates and webhooks, chats and their members."""

from __future__ import annotations

import secrets
from typing import Any

from gridbot.sandbox.calls import Call, api_method
from gridbot.sandbox.errors import ApiError, bad_request
from gridbot.sandbox.events import PRESENT, member_object, set_bot_status
from gridbot.sandbox.state import Chat, Webhook

Json = dict[str, Any]
POLL_LIMIT = range(1, 101)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@api_method("getMe")
async def get_me(call: Call) -> Json:
    return {
        **call.state.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@api_method("logOut", "close", "setChatMenuButton", "setMyDescription", "setMyShortDescription")
async def accepted(call: Call) -> bool:
    return True


@api_method("getUpdates")
async def get_updates(call: Call) -> list[Json]:
    queue = call.state.updates
    if call.state.webhook is not None:
        raise ApiError(409, WEBHOOK_ACTIVE)
    allowed = call.obj("allowed_updates")
    if isinstance(allowed, list):
        queue.allowed_updates = allowed or None
    limit = call.number("limit", 100) or 100
    limit = limit if limit in POLL_LIMIT else 100
    timeout = call.number("timeout", 0) or 0
    return await queue.poll(call.number("offset"), limit, float(timeout))


@api_method("setWebhook")
async def set_webhook(call: Call) -> bool:
    state = call.state
    url = call.text("url") or ""
    if not url:
        state.webhook = None
        return True
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if call.flag("drop_pending_updates"):
        state.updates.drop_all()
    allowed = call.obj("allowed_updates")
    if isinstance(allowed, list):
        state.updates.allowed_updates = allowed or None
    state.webhook = Webhook(
        url=url,
        secret_token=call.text("secret_token"),
        max_connections=call.number("max_connections", 40) or 40,
    )
    state.updates.notify()
    return True


@api_method("deleteWebhook")
async def delete_webhook(call: Call) -> bool:
    call.state.webhook = None
    if call.flag("drop_pending_updates"):
        call.state.updates.drop_all()
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(call: Call) -> Json:
    webhook = call.state.webhook
    info: Json = {
        "url": webhook.url if webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(call.state.updates),
    }
    if webhook is not None:
        info["max_connections"] = webhook.max_connections
        info["ip_address"] = "127.0.0.1"
        if webhook.last_error_date:
            info["last_error_date"] = webhook.last_error_date
            info["last_error_message"] = webhook.last_error_message
        if call.state.updates.allowed_updates:
            info["allowed_updates"] = call.state.updates.allowed_updates
    return info


def known_chat(call: Call) -> Chat:
    raw = call.text("chat_id") or ""
    chat = call.state.chats.get(int(raw)) if raw.lstrip("-").isdigit() else None
    if chat is None:
        raise bad_request("chat not found")
    if chat.migrated_to is not None:
        raise ApiError(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": chat.migrated_to},
        )
    return chat


@api_method("getChat")
async def get_chat(call: Call) -> Json:
    chat = known_chat(call)
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    return {
        **chat.to_api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": dict.fromkeys((*gifts, "gifts_from_channels"), False),
    }


def member_status(call: Call, chat: Chat, user_id: int) -> str:
    if user_id == call.state.bot.id:
        return chat.bot_status if chat.type != "private" else "member"
    if chat.type == "private":
        return "member" if chat.user and chat.user.id == user_id else "left"
    return chat.members.get(user_id, "left")


@api_method("getChatMember")
async def get_chat_member(call: Call) -> Json:
    chat = known_chat(call)
    user_id = call.required_int("user_id")
    user = call.state.bot if user_id == call.state.bot.id else call.state.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    return member_object(user, member_status(call, chat, user_id))


@api_method("getChatAdministrators")
async def get_chat_administrators(call: Call) -> list[Json]:
    chat = known_chat(call)
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    admins = [
        member_object(call.state.users[user_id], status)
        for user_id, status in chat.members.items()
        if status in ("creator", "administrator") and user_id in call.state.users
    ]
    if chat.bot_status == "administrator":
        admins.append(member_object(call.state.bot, "administrator"))
    return admins


@api_method("getChatMemberCount")
async def get_chat_member_count(call: Call) -> int:
    chat = known_chat(call)
    if chat.type == "private":
        return 2
    present = sum(status in PRESENT for status in chat.members.values())
    return present + (chat.bot_status in PRESENT)


@api_method("createChatInviteLink")
async def create_chat_invite_link(call: Call) -> Json:
    chat = known_chat(call)
    if chat.type == "private" or chat.bot_status != "administrator":
        raise bad_request("not enough rights to manage chat invite links")
    link: Json = {
        "invite_link": f"https://t.me/+{secrets.token_urlsafe(12)}",
        "creator": call.state.bot.to_api(),
        "creates_join_request": call.flag("creates_join_request"),
        "is_primary": False,
        "is_revoked": False,
    }
    for key in ("name", "expire_date", "member_limit"):
        if call.has(key):
            link[key] = call.params[key] if key == "name" else call.number(key)
    call.state.invite_links.append({"chat_id": chat.id, **link})
    return link


@api_method("leaveChat")
async def leave_chat(call: Call) -> bool:
    chat = known_chat(call)
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    if chat.bot_status not in PRESENT:
        raise ApiError(403, "Forbidden: bot is not a member of the group chat")
    set_bot_status(call.state, chat, call.state.bot, "left")
    return True
