"""Bot API: sending, editing and deleting messages, and answering button taps."""

from __future__ import annotations

import copy
import time
from typing import Any

from gridbot.sandbox.calls import Call, api_method
from gridbot.sandbox.errors import ApiError, bad_request, forbidden
from gridbot.sandbox.state import Chat, StoredMessage
from gridbot.sandbox.validation import check_caption, check_reply_markup, check_text, format_text

Json = dict[str, Any]
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def target_chat(call: Call, name: str = "chat_id") -> Chat:
    """The chat a message goes to, refused as Telegram refuses it."""
    state = call.state
    raw = call.text(name)
    if not raw:
        raise bad_request("chat_id is empty")
    chat = state.chats.get(int(raw)) if raw.lstrip("-").isdigit() else None
    if chat is None:
        if raw.isdigit() and int(raw) in state.users:
            raise forbidden("bot can't initiate conversation with a user")
        raise bad_request("chat not found")
    if chat.migrated_to is not None:
        raise ApiError(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": chat.migrated_to},
        )
    if chat.type == "private":
        assert chat.user is not None
        if chat.user.blocked:
            raise forbidden("bot was blocked by the user")
        if not chat.user.started:
            raise forbidden("bot can't initiate conversation with a user")
    elif chat.bot_status in ("left", "kicked"):
        how = "was kicked from" if chat.bot_status == "kicked" else "is not a member of"
        kind = "supergroup" if chat.type == "supergroup" else "group"
        raise forbidden(f"bot {how} the {kind} chat")
    return chat


def reply_fields(call: Call, chat: Chat) -> Json:
    params = call.obj("reply_parameters") or {}
    message_id = params.get("message_id") or call.number("reply_to_message_id")
    if not message_id:
        return {}
    allow_missing = params.get("allow_sending_without_reply") or call.flag(
        "allow_sending_without_reply"
    )
    replied = chat.messages.get(int(message_id))
    if replied is None:
        if allow_missing:
            return {}
        raise bad_request("message to be replied not found")
    quoted = {k: v for k, v in replied.data.items() if k != "reply_to_message"}
    return {"reply_to_message": copy.deepcopy(quoted)}


def deliver(call: Call, chat: Chat, fields: Json) -> Json:
    """Store the bot's message (with its keyboard) and return it as the Bot API does."""
    markup = call.obj("reply_markup")
    check_reply_markup(markup)
    fields = {**fields, **reply_fields(call, chat)}
    if markup and "inline_keyboard" in markup:
        fields["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
    stored = call.state.add_message(chat, call.state.bot, fields)
    if markup and "keyboard" in markup:
        labels = [[_label(button) for button in row] for row in markup["keyboard"]]
        stored.reply_keyboard = chat.reply_keyboard = labels
    elif markup and markup.get("remove_keyboard"):
        chat.reply_keyboard = None
    return copy.deepcopy(stored.data)


def _label(button: Any) -> str:
    return str(button.get("text", "")) if isinstance(button, dict) else str(button)


def formatted(call: Call, name: str, entities_name: str) -> Json:
    text, entities = format_text(call.text(name), call.text("parse_mode"))
    if not entities and call.obj(entities_name):
        entities = call.obj(entities_name)
    return {name: text, entities_name: entities} if entities else {name: text}


@api_method("sendMessage")
async def send_message(call: Call) -> Json:
    chat = target_chat(call)
    fields = formatted(call, "text", "entities")
    check_text(fields["text"])
    return deliver(call, chat, fields)


@api_method("sendChatAction")
async def send_chat_action(call: Call) -> bool:
    target_chat(call)
    return True


def bot_message(call: Call) -> StoredMessage:
    """The bot's own message named by chat_id and message_id, for an edit."""
    if call.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = call.state.chats.get(call.required_int("chat_id"))
    if chat is None:
        raise bad_request("chat not found")
    stored = chat.messages.get(call.required_int("message_id"))
    if stored is None:
        raise bad_request("message to edit not found")
    if not stored.from_bot:
        raise bad_request("message can't be edited")
    return stored


def apply_edit(call: Call, stored: StoredMessage, changes: Json) -> Json:
    markup = call.obj("reply_markup")
    check_reply_markup(markup)
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    changes["reply_markup"] = markup
    if all(stored.data.get(key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    for key, value in changes.items():
        if value:
            stored.data[key] = value
        else:
            stored.data.pop(key, None)
    stored.data["edit_date"] = int(time.time())
    stored.edited = True
    return copy.deepcopy(stored.data)


@api_method("editMessageText")
async def edit_message_text(call: Call) -> Json:
    stored = bot_message(call)
    if "text" not in stored.data:
        raise bad_request("there is no text in the message to edit")
    fields = formatted(call, "text", "entities")
    check_text(fields["text"])
    return apply_edit(call, stored, {"text": fields["text"], "entities": fields.get("entities")})


@api_method("editMessageCaption")
async def edit_message_caption(call: Call) -> Json:
    stored = bot_message(call)
    if "text" in stored.data:
        raise bad_request("there is no caption in the message to edit")
    fields = formatted(call, "caption", "caption_entities")
    check_caption(fields["caption"])
    changes = {"caption": fields["caption"], "caption_entities": fields.get("caption_entities")}
    return apply_edit(call, stored, changes)


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(call: Call) -> Json:
    return apply_edit(call, bot_message(call), {})


@api_method("deleteMessage")
async def delete_message(call: Call) -> bool:
    chat = call.state.chats.get(call.required_int("chat_id"))
    message_id = call.required_int("message_id")
    if chat is None or message_id not in chat.messages:
        raise bad_request("message to delete not found")
    del chat.messages[message_id]
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(call: Call) -> bool:
    record = call.state.callbacks.get(call.text("callback_query_id") or "")
    if record is None or record.answered:
        raise bad_request(QUERY_TOO_OLD)
    record.answered = True
    record.answer = {
        "text": call.text("text"),
        "show_alert": call.flag("show_alert"),
        "url": call.text("url"),
    }
    return True
