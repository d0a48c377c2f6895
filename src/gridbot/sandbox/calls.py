"""One Bot API call as a method handler sees it: typed parameters, uploads, the world.

Method handlers register themselves with ``@api_method("sendMessage")``; names are matched
case-insensitively, as Telegram does.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from gridbot.sandbox.errors import bad_request
from gridbot.sandbox.state import SandboxState

# Parameters that carry JSON objects; form bodies send them as JSON strings.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "link_preview_options",
        "scope",
        "media",
        "allowed_updates",
        "options",
        "commands",
        "entities",
        "caption_entities",
        "menu_button",
        "question_entities",
    }
)


@dataclass
class Upload:
    filename: str
    content: bytes
    content_type: str | None = None


@dataclass
class Call:
    state: SandboxState
    params: dict[str, Any]
    uploads: dict[str, Upload] = field(default_factory=dict)

    def raw(self, name: str) -> Any:
        value = self.params.get(name)
        if isinstance(value, str) and name in JSON_FIELDS:
            try:
                return json.loads(value)
            except ValueError as error:
                raise bad_request(f"can't parse {name} JSON object") from error
        return value

    def has(self, name: str) -> bool:
        return self.params.get(name) not in (None, "")

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.params.get(name)
        return default if value is None else str(value)

    def number(self, name: str, default: int | None = None) -> int | None:
        value = self.params.get(name)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except (TypeError, ValueError) as error:
            raise bad_request(f"invalid {name} specified") from error

    def required_int(self, name: str) -> int:
        value = self.number(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.params.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    def obj(self, name: str) -> Any:
        return self.raw(name)

    def loggable(self) -> dict[str, Any]:
        logged = {key: self.raw(key) for key in self.params}
        for key, upload in self.uploads.items():
            logged[key] = f"<upload {upload.filename}, {len(upload.content)} bytes>"
        return logged


Handler = Callable[[Call], Awaitable[Any]]
METHODS: dict[str, Handler] = {}


def api_method(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in names:
            METHODS[name.lower()] = handler
        return handler

    return register
