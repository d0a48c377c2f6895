"""The person's side beyond messages: groups, members, bad input, reset; other body formats."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest

from gridbot.sandbox.server import SandboxServer

from .conftest import BOT_ID, TOKEN, Person


async def call_raw(person: Person, method: str, **kwargs: Any) -> Any:
    url = f"{person.base_url}/bot{TOKEN}/{method}"
    async with person.session.request("POST" if "json" in kwargs else "GET", url, **kwargs) as resp:
        return await resp.json()


async def test_get_queries_and_json_bodies_are_accepted(person: Person) -> None:
    await person.post("message", text="/start", user_id=11)
    by_query = await call_raw(person, "sendMessage", params={"chat_id": 11, "text": "q"})
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    by_json = await call_raw(
        person, "sendMessage", json={"chat_id": 11, "text": "j", "reply_markup": markup}
    )
    assert by_query["ok"] and by_json["result"]["reply_markup"] == markup
    refused = await call_raw(person, "sendMessage", json={"chat_id": 11, "text": ""})
    assert refused == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message text is empty",
    }


async def test_joins_give_service_messages_and_chat_member_when_allowed(
    bot: Bot, person: Person
) -> None:
    await person.post(
        "join",
        chat_id=-900,
        user_id=BOT_ID,
        from_user_id=50,
        chat_title="企业群",
        status="administrator",
    )
    await bot.get_updates(allowed_updates=["message", "chat_member", "my_chat_member"])
    await person.post("join", chat_id=-900, user_id=51, first_name="孙丽")
    updates = await bot.get_updates()
    kinds = [u.event_type for u in updates]
    assert kinds == ["my_chat_member", "message", "message", "chat_member"]
    assert (
        updates[0].my_chat_member
        and updates[0].my_chat_member.new_chat_member.status == "administrator"
    )
    assert updates[2].message and updates[2].message.new_chat_members
    assert updates[2].message.new_chat_members[0].first_name == "孙丽"
    member = await bot.get_chat_member(-900, 51)
    assert member.status == "member"
    admins = await bot.get_chat_administrators(-900)
    assert {a.user.id for a in admins} == {50, BOT_ID}
    link = await bot.create_chat_invite_link(-900, name="住户")
    assert link.invite_link.startswith("https://t.me/+")
    chat = await bot.get_chat(-900)
    assert (chat.title, chat.type) == ("企业群", "group")
    assert await bot.leave_chat(-900)
    assert (await bot.get_chat_member(-900, BOT_ID)).status == "left"


async def test_stickers_voices_and_documents_reach_the_bot(bot: Bot, person: Person) -> None:
    await person.post("sticker", user_id=12)
    await person.post("voice", user_id=12, duration=4)
    await person.post("document", user_id=12, file_name="证明.pdf")
    messages = [u.message for u in await bot.get_updates()]
    assert messages[0] and messages[0].sticker and messages[0].sticker.emoji == "👍"
    assert messages[1] and messages[1].voice and messages[1].voice.duration == 4
    assert messages[2] and messages[2].document and messages[2].document.file_name == "证明.pdf"
    assert await person.transcript(12) == (
        "[1] User12: [sticker 👍]\n[2] User12: [voice 4s]\n[3] User12: [document 证明.pdf]\n"
    )


async def test_mentions_and_replies_in_a_group(bot: Bot, person: Person) -> None:
    first = await person.post(
        "message", text="楼道灯坏了", user_id=13, chat_id=-901, chat_type="supergroup"
    )
    await person.post(
        "message",
        text="报事",
        user_id=14,
        chat_id=-901,
        mention=True,
        reply_to_message_id=first["message_id"],
    )
    message = (await bot.get_updates())[-1].message
    assert message and message.text == "@gridbot_sandbox_bot 报事"
    assert [(e.type, e.offset, e.length) for e in message.entities or []] == [("mention", 0, 20)]
    assert message.reply_to_message and message.reply_to_message.text == "楼道灯坏了"
    sent = await bot.send_message(-901, "收到", reply_to_message_id=message.message_id)
    assert sent.reply_to_message and sent.reply_to_message.message_id == 2
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(-901, "x", reply_to_message_id=99)


async def test_reset_empties_the_world_but_keeps_the_bot(
    bot: Bot, person: Person, stand: SandboxServer
) -> None:
    await person.post("message", text="/start", user_id=15)
    await bot.send_message(15, "hi")
    await person.post("reset")
    state = await person.get("state")
    assert state["chats"] == [] and state["users"] == [] and state["pending_updates"] == 0
    assert state["bot"]["id"] == BOT_ID and (await bot.get_me()).id == BOT_ID
    sent = await person.post("message", text="/start", user_id=15)
    assert sent["message_id"] == 1 and [u.update_id for u in await bot.get_updates()] == [
        sent["update_id"]
    ]


async def test_an_unconfigured_stand_takes_the_bot_id_from_the_first_token() -> None:
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    async with SandboxServer() as stand:
        other = Bot("555:abc", session=AiohttpSession(api=TelegramAPIServer.from_base(stand.url)))
        try:
            assert (await other.get_me()).id == other.id == 555
        finally:
            await other.session.close()
