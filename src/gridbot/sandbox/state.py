"""The in-memory world of the sandbox stand: people, chats, messages, files, calls, faults.

Everything is plain data; the HTTP layers (``botapi`` for the bot's side, ``sim`` for the
person's side) read and change it. One ``SandboxState`` per stand; ``reset()`` empties it
but keeps the bot identity.
"""

from __future__ import annotations

import itertools
import random
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from gridbot.sandbox.updates import UpdateQueue

BOT_FIRST_NAME = "网格通"
BOT_USERNAME = "gridbot_sandbox_bot"
DEFAULT_BOT_ID = 7000000001

Json = dict[str, Any]


@dataclass
class User:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "zh-hans"
    is_bot: bool = False
    started: bool = False  # has opened the private chat with the bot
    blocked: bool = False  # has blocked the bot

    def to_api(self) -> Json:
        data: Json = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class StoredMessage:
    data: Json  # the Message object as the Bot API returns it
    from_bot: bool
    edited: bool = False
    reply_keyboard: list[list[str]] | None = None  # labels of a reply keyboard sent with it

    @property
    def message_id(self) -> int:
        return int(self.data["message_id"])


@dataclass
class Chat:
    id: int
    type: str  # private | group | supergroup
    title: str | None = None
    user: User | None = None  # the person of a private chat
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    bot_status: str = "member"  # member | administrator | left | kicked
    migrated_to: int | None = None
    next_message_id: int = 1
    reply_keyboard: list[list[str]] | None = None  # what the person's keyboard shows now
    messages: dict[int, StoredMessage] = field(default_factory=dict)

    def to_api(self) -> Json:
        if self.type == "private" and self.user is not None:
            data: Json = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            if self.user.username:
                data["username"] = self.user.username
            return data
        data = {"id": self.id, "type": self.type, "title": self.title or f"Group {self.id}"}
        if self.type == "group":
            data["all_members_are_administrators"] = False
        return data


@dataclass
class CallbackRecord:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer: Json | None = None


@dataclass
class Fault:
    method: str  # a Bot API method name or "*"
    code: int | None
    retry_after: int | None
    times: int
    delay: float
    description: str | None = None
    # A share of calls instead of a count: fires on each matching call with this
    # probability (drawn from ``seed``, so a run repeats) until the faults are cleared.
    rate: float | None = None
    seed: int | None = None
    _draws: random.Random | None = field(default=None, repr=False, compare=False)

    def fires(self) -> bool:
        """Whether this fault takes the call now (a counted one always does)."""
        if self.rate is None:
            return True
        if self._draws is None:
            self._draws = random.Random(self.seed)
        return self._draws.random() < self.rate

    def to_api(self) -> dict[str, Any]:
        return {name: value for name, value in vars(self).items() if not name.startswith("_")}


@dataclass
class FileRecord:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None
    photo_sizes: list[Json] | None = None  # all sizes of the picture this file is one of


@dataclass
class ApiCall:
    seq: int
    method: str
    params: Json
    ok: bool
    error: str | None
    at: float
    result: Any = None

    def to_api(self) -> Json:
        return {
            "seq": self.seq,
            "method": self.method,
            "params": self.params,
            "ok": self.ok,
            "error": self.error,
            "at": self.at,
            "result": self.result,
        }


@dataclass
class Webhook:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


def bot_id_from_token(token: str | None) -> int:
    prefix = (token or "").split(":", 1)[0]
    return int(prefix) if prefix.isdigit() else DEFAULT_BOT_ID


class SandboxState:
    def __init__(
        self,
        token: str | None = None,
        *,
        strict_token: bool = False,
        bot_first_name: str = BOT_FIRST_NAME,
        bot_username: str = BOT_USERNAME,
    ) -> None:
        self.token = token
        self.strict_token = strict_token and token is not None
        self.bot = User(
            id=bot_id_from_token(token),
            first_name=bot_first_name,
            username=bot_username,
            language_code=None,
            is_bot=True,
        )
        self.updates = UpdateQueue()
        self.reset()

    def reset(self) -> None:
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self.files: dict[str, FileRecord] = {}
        self.calls: list[ApiCall] = []
        self.faults: list[Fault] = []
        self.commands: dict[tuple[str, str], list[Json]] = {}
        self.menu_buttons: dict[int | None, Json] = {}
        self.invite_links: list[Json] = []
        self.webhook: Webhook | None = None
        self.polls: dict[str, Json] = {}
        # Names this transcript: message ids start again at 1 after a reset, so a page that
        # remembers what it has read keys its counts by the epoch.
        self.epoch = secrets.token_hex(4)
        self.updates.clear()
        self._call_seq = itertools.count(1)
        self._supergroup_ids = itertools.count(1001000000001)

    # --- identity -------------------------------------------------------------------
    def token_accepted(self, token: str) -> bool:
        if self.token is None:
            # No token configured: the first one used names the bot, as Telegram's id is the
            # token's numeric prefix (aiogram's ``bot.id`` relies on that).
            self.token = token
            self.bot.id = bot_id_from_token(token)
        return not self.strict_token or token == self.token

    # --- people and chats -----------------------------------------------------------
    def ensure_user(self, user_id: int, **details: Any) -> User:
        if user_id == self.bot.id:
            return self.bot
        user = self.users.get(user_id)
        if user is None:
            user = User(id=user_id, first_name=details.get("first_name") or f"User{user_id}")
            self.users[user_id] = user
        for key in ("first_name", "username", "last_name", "language_code"):
            if details.get(key) is not None:
                setattr(user, key, details[key])
        return user

    def private_chat(self, user: User) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(id=user.id, type="private", user=user)
            self.chats[user.id] = chat
        return chat

    def ensure_group(
        self,
        chat_id: int,
        chat_type: str | None = None,
        title: str | None = None,
        bot_status: str = "member",
    ) -> Chat:
        """A group or supergroup; a new one has the bot in it unless told otherwise."""
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_type not in ("group", "supergroup"):
                chat_type = "supergroup" if str(chat_id).startswith("-100") else "group"
            chat = Chat(
                id=chat_id,
                type=chat_type,
                title=title or f"Group {-chat_id}",
                bot_status=bot_status,
            )
            self.chats[chat_id] = chat
        elif title:
            chat.title = title
        return chat

    def new_supergroup_id(self) -> int:
        return -next(self._supergroup_ids)

    def add_message(self, chat: Chat, sender: User, fields: Json) -> StoredMessage:
        data: Json = {
            "message_id": chat.next_message_id,
            "from": sender.to_api(),
            "chat": chat.to_api(),
            "date": int(time.time()),
            **fields,
        }
        chat.next_message_id += 1
        stored = StoredMessage(data=data, from_bot=sender.id == self.bot.id)
        chat.messages[stored.message_id] = stored
        return stored

    # --- files ----------------------------------------------------------------------
    def add_file(self, content: bytes, kind: str, ext: str, **details: Any) -> FileRecord:
        number = len(self.files) + 1
        record = FileRecord(
            file_id=f"{kind[:2].upper()}Q{secrets.token_urlsafe(24)}",
            file_unique_id=f"AQ{secrets.token_urlsafe(8)}",
            content=content,
            file_path=f"{kind}/file_{number}.{ext}",
            **details,
        )
        self.files[record.file_id] = record
        return record

    # --- the log of Bot API calls and the faults ------------------------------------
    def log_call(self, method: str, params: Json, error: str | None, result: Any) -> ApiCall:
        call = ApiCall(
            seq=next(self._call_seq),
            method=method,
            params=params,
            ok=error is None,
            error=error,
            at=time.time(),
            result=result,
        )
        self.calls.append(call)
        return call

    def take_fault(self, method: str) -> Fault | None:
        for fault in self.faults:
            if fault.rate is not None:
                if fault.method in (method, "*") and fault.fires():
                    return fault
                continue
            if fault.times > 0 and fault.method in (method, "*"):
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None
