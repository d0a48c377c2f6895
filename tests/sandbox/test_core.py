"""The Bot API core against the real aiogram client: identity, messages, updates."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramConflictError, TelegramUnauthorizedError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from gridbot.sandbox.server import SandboxServer

from .conftest import BOT_ID, Person


async def test_get_me_names_the_bot_from_its_token(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.first_name, me.username) == (
        BOT_ID,
        True,
        "网格通",
        "gridbot_sandbox_bot",
    )


async def test_a_strict_stand_refuses_an_unknown_token_with_401(stand: SandboxServer) -> None:
    strict = SandboxServer("1:right", strict_token=True)
    url = await strict.start()
    wrong = Bot("1:wrong", session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
    try:
        with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
            await wrong.get_me()
    finally:
        await wrong.session.close()
        await strict.stop()


async def test_an_unknown_method_is_404(person: Person) -> None:
    async with person.session.post(f"{person.base_url}/bot1:x/noSuchMethod") as resp:
        assert resp.status == 404
        assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_a_person_message_becomes_an_update_with_a_command_entity(
    bot: Bot, person: Person
) -> None:
    sent = await person.post(
        "message",
        text="/start@gridbot_sandbox_bot j_abc",
        user_id=42,
        first_name="李娜",
        username="lina",
    )
    assert sent["ok"] and sent["message_id"] == 1
    [update] = await bot.get_updates()
    assert update.update_id == sent["update_id"]
    message = update.message
    assert message is not None and message.text == "/start@gridbot_sandbox_bot j_abc"
    assert message.chat.id == 42 and message.chat.type == "private"
    assert message.from_user is not None and message.from_user.language_code == "zh-hans"
    assert [(e.type, e.offset, e.length) for e in message.entities or []] == [
        ("bot_command", 0, 26)
    ]


async def test_get_updates_offset_confirms_and_limit_cuts(bot: Bot, person: Person) -> None:
    ids = [(await person.post("message", text=f"m{n}", user_id=5))["update_id"] for n in range(3)]
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await bot.get_updates(offset=ids[1] + 1)] == ids[2:]
    assert await bot.get_updates(offset=ids[2] + 1) == []


async def polls_arrived(stand: SandboxServer, count: int) -> None:
    async with asyncio.timeout(10):
        while True:
            if stand.state.updates.polls >= count:
                return
            await asyncio.sleep(0.01)


async def test_a_long_poll_returns_as_soon_as_an_update_arrives(
    stand: SandboxServer, bot: Bot, person: Person
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await polls_arrived(stand, 1)
    await person.post("message", text="hello", user_id=5)
    updates = await poll
    assert len(updates) == 1 and loop.time() - started < 3


async def test_a_second_concurrent_get_updates_ends_the_first_with_409(
    stand: SandboxServer, bot: Bot, person: Person
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await polls_arrived(stand, 1)
    second = asyncio.create_task(bot.get_updates(timeout=1))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await first
    assert await second == []


async def test_send_message_with_an_inline_keyboard_shows_in_the_transcript(
    bot: Bot, person: Person
) -> None:
    await person.post("message", text="/start", user_id=7, first_name="王芳")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="提交", callback_data="submit"),
                InlineKeyboardButton(text="取消", callback_data="cancel"),
            ],
            [InlineKeyboardButton(text="帮助", url="https://example.org/help")],
        ]
    )
    sent = await bot.send_message(
        7, "<b>你好</b>，请选择", parse_mode="HTML", reply_markup=keyboard
    )
    assert sent.message_id == 2 and sent.text == "你好，请选择"
    assert [(e.type, e.offset, e.length) for e in sent.entities or []] == [("bold", 0, 2)]
    assert await person.transcript(7) == (
        "[1] 王芳: /start\n[2] 网格通: 你好，请选择\n    [提交] [取消]\n    [帮助]\n"
    )


async def test_outbox_lists_every_call_with_its_params(bot: Bot, person: Person) -> None:
    await person.post("message", text="hi", user_id=8)
    await bot.send_message(8, "one")
    await bot.send_message(8, "two")
    calls = await person.get("outbox", method="sendMessage")
    assert [c["params"]["text"] for c in calls] == ["one", "two"]
    assert all(c["ok"] and c["error"] is None for c in calls)
    later = await person.get("outbox", method="sendMessage", since=calls[0]["seq"])
    assert [c["params"]["text"] for c in later] == ["two"]
