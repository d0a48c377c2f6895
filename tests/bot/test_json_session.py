"""Bot API calls go as JSON bodies (bot/json_session.py); uploads and dated calls as forms.
Checked on a server that records what it was sent, and end to end on the sandbox stand."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError
from aiogram.methods import SendMessage
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import web

from gridbot.bot.app import build_bot
from gridbot.bot.config import Settings
from gridbot.bot.json_session import JsonBodySession
from gridbot.sandbox.server import SandboxServer

TOKEN = "42:TEST"
MESSAGE = {"message_id": 7, "date": 1_700_000_000, "chat": {"id": 5, "type": "private"}}
KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="接单", callback_data="c:accept:12")]]
)


class Recorder:
    """A Bot API that records each call's content type and parameters."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.answer: dict[str, Any] = {"ok": True, "result": MESSAGE}

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            params = await request.json()
        else:
            form = await request.post()
            params = {
                key: (f"<file {value.filename}>" if isinstance(value, web.FileField) else value)
                for key, value in form.items()
            }
        self.calls.append((request.match_info["method"], request.content_type, params))
        return web.json_response(self.answer, status=self.answer.get("error_code", 200))


@pytest.fixture
async def recorder() -> AsyncIterator[tuple[Recorder, Bot]]:
    recorder = Recorder()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", recorder.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    bot = json_bot(f"http://127.0.0.1:{port}")
    yield recorder, bot
    await bot.session.close()
    await runner.cleanup()


def json_bot(base: str) -> Bot:
    return Bot(
        TOKEN,
        session=JsonBodySession(api=TelegramAPIServer.from_base(base)),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


async def test_a_message_goes_as_one_json_object_with_defaults_and_nested_objects(
    recorder: tuple[Recorder, Bot],
) -> None:
    calls, bot = recorder
    sent = await bot.send_message(5, "门口垃圾<b>没人</b>清理", reply_markup=KEYBOARD)
    assert sent.message_id == 7 and sent.chat.id == 5  # the answer is read as before
    [(method, content_type, params)] = calls.calls
    assert (method, content_type) == ("sendMessage", "application/json")
    assert params == {
        "chat_id": 5,
        "text": "门口垃圾<b>没人</b>清理",
        "parse_mode": "HTML",  # the bot's default, resolved
        "reply_markup": {"inline_keyboard": [[{"text": "接单", "callback_data": "c:accept:12"}]]},
    }  # nothing unset is sent, and numbers and objects keep their JSON types


async def test_false_and_zero_are_sent_while_unset_values_are_not(
    recorder: tuple[Recorder, Bot],
) -> None:
    calls, bot = recorder
    calls.answer = {"ok": True, "result": True}
    await bot.answer_callback_query("q1", text="", show_alert=False, cache_time=0)
    [(_, content_type, params)] = calls.calls
    assert content_type == "application/json"
    assert params == {"callback_query_id": "q1", "show_alert": False, "cache_time": 0}


async def test_an_upload_goes_as_a_multipart_form(recorder: tuple[Recorder, Bot]) -> None:
    calls, bot = recorder
    document = BufferedInputFile(b"a,b\n1,2\n", filename="cases.csv")
    await bot.send_document(5, document, caption="导出")
    [(method, content_type, params)] = calls.calls
    assert (method, content_type) == ("sendDocument", "multipart/form-data")
    assert params["caption"] == "导出" and params["chat_id"] == "5"
    assert params["document"].startswith("attach://")
    assert any(value == "<file cases.csv>" for value in params.values())


async def test_a_call_with_a_date_goes_as_a_form(recorder: tuple[Recorder, Bot]) -> None:
    calls, bot = recorder
    calls.answer = {"ok": True, "result": True}
    until = datetime(2026, 12, 24, tzinfo=UTC)
    await bot.ban_chat_member(-100, 9, until_date=until)
    [(_, content_type, params)] = calls.calls
    assert content_type == "application/x-www-form-urlencoded"
    assert params["until_date"] == str(round(until.timestamp()))


async def test_a_refusal_is_the_usual_error(recorder: tuple[Recorder, Bot]) -> None:
    calls, bot = recorder
    calls.answer = {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(5, "x")


async def test_an_unreachable_api_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = json_bot(f"http://127.0.0.1:{port}")
    try:
        with pytest.raises(TelegramNetworkError, match="ClientConnectorError"):
            await bot.send_message(5, "x")
    finally:
        await bot.session.close()


async def test_the_sandbox_stand_takes_the_json_calls() -> None:
    async with SandboxServer(TOKEN) as stand, aiohttp.ClientSession() as sim:
        bot = json_bot(stand.url)
        try:
            async with sim.post(
                f"{stand.url}/sim/message", json={"user_id": 5, "first_name": "李娜", "text": "hi"}
            ) as response:
                assert response.status == 200, await response.text()
            sent = await bot.send_message(5, "已登记 <b>E-1</b>", reply_markup=KEYBOARD)
            edited = await bot.edit_message_text(
                "已受理", chat_id=5, message_id=sent.message_id, reply_markup=KEYBOARD
            )
            assert not isinstance(edited, bool) and edited.text == "已受理"
            with pytest.raises(TelegramBadRequest, match="message is not modified"):
                await bot.edit_message_text(  # the stand is as strict as with forms
                    "已受理", chat_id=5, message_id=sent.message_id, reply_markup=KEYBOARD
                )
            async with sim.get(f"{stand.url}/sim/chat/5", params={"format": "text"}) as response:
                transcript = await response.text()
            assert "已受理" in transcript and "接单" in transcript
        finally:
            await bot.session.close()


def test_json_text_of_a_body_is_plain_json() -> None:
    session = JsonBodySession()
    bot = Bot(TOKEN, session=session)
    body = session.json_body(bot, SendMessage(chat_id=1, text="好", reply_markup=KEYBOARD))
    assert body is not None
    assert json.loads(body) == {
        "chat_id": 1,
        "text": "好",
        "reply_markup": {"inline_keyboard": [[{"text": "接单", "callback_data": "c:accept:12"}]]},
    }
    assert "好".encode() in body  # UTF-8, not escaped


def test_the_bot_of_gridbot_run_uses_it() -> None:
    settings = Settings(_env_file=None, BOT_TOKEN=TOKEN)  # type: ignore[call-arg]
    assert isinstance(build_bot(settings).session, JsonBodySession)
