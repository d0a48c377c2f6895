"""A second client library against the stand: a python-telegram-bot Application, polling."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from gridbot.sandbox.server import SandboxServer

from .conftest import TOKEN, Person


async def cmd_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("报事", callback_data="report")]])
    await update.message.reply_text("欢迎使用", reply_markup=markup)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("好的")
    await query.edit_message_text(f"已选择: {query.data}")


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not await check():
        assert loop.time() < deadline, "the client never did it"
        await asyncio.sleep(0.05)


async def test_a_ptb_application_answers_a_command_and_a_button(
    stand: SandboxServer, person: Person
) -> None:
    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"{stand.url}/bot")
        .base_file_url(f"{stand.url}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("start", cmd_start))
    app.add_handler(CallbackQueryHandler(on_button))

    async def transcript_has(fragment: str) -> bool:
        return fragment in await person.transcript(77)

    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            await person.post("message", text="/start", user_id=77, first_name="陈静")
            await eventually(lambda: transcript_has("[报事]"))
            tapped = await person.post("callback", label="报事", user_id=77)
            await eventually(lambda: transcript_has("已选择"))
        finally:
            await app.updater.stop()
            await app.stop()

    assert await person.transcript(77) == "[1] 陈静: /start\n[2] 网格通: 已选择: report\n"
    answer = await person.get(f"callback/{tapped['callback_query_id']}")
    assert answer["answered"] and answer["answer"]["text"] == "好的"
    methods = [c["method"] for c in await person.get("outbox") if c["method"] != "getUpdates"]
    assert methods[-3:] == ["sendMessage", "answerCallbackQuery", "editMessageText"]
