"""The benchmark's baseline: a bare aiogram 3 bot with one visible reply per update.

A message is answered with its own text and a button; a tap on that button is answered
(the toast) and the tapped message is edited to count the taps, with a fresh button. Run
as ``python bench/echo_bot.py`` with BOT_TOKEN and TELEGRAM_API_BASE set; long polling,
stopped by SIGINT or SIGTERM (aiogram's own handling, exit code 0).
"""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

BUTTON = "👍"  # bench.play.ECHO_BUTTON: the label the residents tap
router = Router(name="echo")


def tap_button(count: int) -> InlineKeyboardMarkup:
    # The count travels in the button, so the bot keeps no state and every edit differs
    # from the message it replaces (the Bot API refuses an edit that changes nothing).
    button = InlineKeyboardButton(text=BUTTON, callback_data=f"tap:{count}")
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


@router.message()
async def on_message(message: Message) -> None:
    await message.answer(message.text or "…", reply_markup=tap_button(1))


@router.callback_query()
async def on_tap(query: CallbackQuery) -> None:
    count = int((query.data or "tap:1").partition(":")[2])
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(f"{BUTTON} × {count}", reply_markup=tap_button(count + 1))


async def main() -> None:
    api = TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE"])
    bot = Bot(os.environ["BOT_TOKEN"], session=AiohttpSession(api=api))
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    await dispatcher.start_polling(bot)


if __name__ == "__main__":
    asyncio.run(main())
