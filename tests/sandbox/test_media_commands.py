"""Photos and files both ways, albums, locations, polls, command menus, transcripts."""

from __future__ import annotations

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatMember,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from gridbot.sandbox.files import image_size, tiny_png
from gridbot.sandbox.server import SandboxServer

from .conftest import TOKEN, Person


async def download(stand: SandboxServer, file_path: str) -> bytes:
    url = f"{stand.url}/file/bot{TOKEN}/{file_path}"
    async with aiohttp.ClientSession() as session, session.get(url) as resp:
        assert resp.status == 200
        return await resp.read()


async def test_an_uploaded_photo_can_be_fetched_back(
    bot: Bot, person: Person, stand: SandboxServer
) -> None:
    await person.post("message", text="/start", user_id=9)
    picture = tiny_png(200, 100)
    sent = await bot.send_photo(9, BufferedInputFile(picture, "p.png"), caption="现场")
    assert sent.photo and sent.caption == "现场"
    largest = sent.photo[-1]
    assert (largest.width, largest.height) == (200, 100)
    file = await bot.get_file(largest.file_id)
    assert file.file_path and await download(stand, file.file_path) == picture
    again = await bot.send_photo(9, largest.file_id)  # re-sent by file_id
    assert again.photo and again.photo[-1].file_id == largest.file_id


async def test_a_persons_photo_is_a_real_picture_the_bot_can_download(
    bot: Bot, person: Person, stand: SandboxServer
) -> None:
    await person.post("photo", user_id=9, caption="路灯坏了")
    [update] = await bot.get_updates()
    assert update.message and update.message.photo and update.message.caption == "路灯坏了"
    file = await bot.get_file(update.message.photo[-1].file_id)
    assert file.file_path and image_size(await download(stand, file.file_path)) == (16, 12)


async def test_a_document_upload_keeps_its_name(bot: Bot, person: Person) -> None:
    await person.post("message", text="/start", user_id=9)
    sent = await bot.send_document(9, BufferedInputFile(b"a,b\n1,2\n", "export.csv"))
    assert sent.document and sent.document.file_name == "export.csv"
    assert sent.document.mime_type == "text/csv"


async def test_a_media_group_is_one_album(bot: Bot, person: Person) -> None:
    await person.post("message", text="/start", user_id=9)
    media = [
        InputMediaPhoto(media=BufferedInputFile(tiny_png(), f"{n}.png"), caption=f"#{n}")
        for n in range(3)
    ]
    album = await bot.send_media_group(9, media)
    assert [m.message_id for m in album] == [2, 3, 4]
    assert len({m.media_group_id for m in album}) == 1
    with pytest.raises(TelegramBadRequest):
        await bot.send_media_group(9, media[:1])


async def test_locations_polls_and_reply_keyboards(bot: Bot, person: Person) -> None:
    await person.post("location", user_id=9, latitude=39.1, longitude=117.2)
    keyboard = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="提交"), KeyboardButton(text="取消")]]
    )
    await bot.send_location(9, 39.2, 117.3, reply_markup=keyboard)
    poll = await bot.send_poll(9, "满意吗？", ["满意", "不满意"], is_anonymous=False)
    stopped = await bot.stop_poll(9, poll.message_id)
    assert stopped.is_closed
    assert await person.transcript(9) == (
        "[1] User9: [location 39.1, 117.2]\n"
        "[2] 网格通: [location 39.2, 117.3]\n"
        "    {提交} {取消}\n"
        "[3] 网格通: [poll 满意吗？: 满意 / 不满意]\n"
    )


async def test_callback_by_label_reaches_the_bot_and_edits_show(bot: Bot, person: Person) -> None:
    await person.post("message", text="/start", user_id=9, first_name="张伟")
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="接单", callback_data="case:1:accept")]]
    )
    await bot.send_message(9, "新案件 #1", reply_markup=markup)
    refused = await person.post("callback", label="办结", user_id=9, expect=400)
    assert "no button with label '办结'" in refused["error"] and "'接单'" in refused["error"]
    tapped = await person.post("callback", label="接单", user_id=9)
    updates = await bot.get_updates()
    query = updates[-1].callback_query
    assert query and query.id == tapped["callback_query_id"] and query.data == "case:1:accept"
    assert query.message and query.message.message_id == 2
    await bot.answer_callback_query(query.id)
    await bot.edit_message_text("新案件 #1 已接单", chat_id=9, message_id=2)
    assert await person.transcript(9) == "[1] 张伟: /start\n[2] 网格通: 新案件 #1 已接单\n"
    [_, message] = await person.get("chat/9")
    assert message["edited"] and message["from_bot"]


def names(commands: list[BotCommand]) -> list[str]:
    return [c.command for c in commands]


async def test_commands_are_kept_per_scope_and_language(bot: Bot, person: Person) -> None:
    await person.post("message", text="/start", user_id=9)
    await person.post("message", text="hi", user_id=9, chat_id=-800)
    resident = [BotCommand(command="report", description="报事")]
    worker = [BotCommand(command="tasks", description="我的任务")]
    await bot.set_my_commands(resident, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(worker, scope=BotCommandScopeChat(chat_id=9))
    await bot.set_my_commands(worker, scope=BotCommandScopeChatMember(chat_id=-800, user_id=9))
    await bot.set_my_commands(resident, scope=BotCommandScopeAllGroupChats(), language_code="en")
    assert names(await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())) == ["report"]
    assert names(await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=9))) == ["tasks"]
    assert await bot.get_my_commands() == []
    assert await bot.get_my_commands(scope=BotCommandScopeAllGroupChats()) == []
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=9))
    assert await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=9)) == []
    state = await person.get("state")
    assert {c["scope"] for c in state["commands"]} == {
        "all_private_chats",
        "chat_member:-800:9",
        "all_group_chats",
    }
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])
