"""Bot API calls with JSON bodies.

aiogram's ``AiohttpSession`` sends every call as a form: each parameter made a string
(nested objects such as a keyboard dumped to JSON one by one), the form URL-encoded, which
for Chinese text means percent-escaping every byte. The Bot API takes ``application/json``
bodies as well, and a JSON body is one ``dumps`` of the call. In the report benchmark the
form cost about a fifth of each call's CPU (docs/benchmarks.md). Calls that upload a file
still go as multipart forms (JSON cannot carry the file), and so do the few that carry a
date (aiogram makes those Unix times as strings, a form's convention).

Bodies are written and answers read with orjson, which does both several times faster than
the standard library (a sendMessage answer with a keyboard: 6.7 against 2.6 µs to read).
"""

from __future__ import annotations

import datetime
from typing import Any, cast

import orjson
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile
from aiohttp import ClientError, ClientTimeout

_JSON = {"Content-Type": "application/json"}


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


class JsonBodySession(AiohttpSession):
    """``AiohttpSession`` that posts a call's parameters as one JSON object."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("json_loads", orjson.loads)
        kwargs.setdefault("json_dumps", _json_text)  # a form's nested objects
        super().__init__(**kwargs)

    def json_body(self, bot: Bot, method: TelegramMethod[Any]) -> bytes | None:
        """The call's parameters as a JSON body; None when it must go as a form."""
        files: dict[str, InputFile] = {}
        body: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            if isinstance(value, datetime.datetime | datetime.timedelta):
                return None
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared is None or prepared == "":  # what the form leaves out, too
                continue
            body[key] = prepared
        if files:
            return None
        return orjson.dumps(body)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> TelegramType:
        body = self.json_body(bot, method)
        if body is None:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(
                url,
                data=body,
                headers=_JSON,
                timeout=ClientTimeout(total=self.timeout if timeout is None else timeout),
            ) as response:
                raw_result = await response.text()
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        except ClientError as error:
            message = f"{type(error).__name__}: {error}"
            raise TelegramNetworkError(method=method, message=message) from error
        checked = self.check_response(
            bot=bot, method=method, status_code=response.status, content=raw_result
        )
        return cast(TelegramType, checked.result)
