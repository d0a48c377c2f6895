"""The stand refuses what Telegram refuses, with Telegram's own words."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from gridbot.sandbox.files import tiny_png

from .conftest import BOT_ID, Person

USER = 21


def keyboard(data: str = "ok") -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="OK", callback_data=data)]]
    )


@pytest.fixture
async def started(person: Person) -> int:
    await person.post("message", text="/start", user_id=USER, first_name="赵敏")
    return USER


async def test_text_over_4096_characters_is_too_long(bot: Bot, started: int) -> None:
    await bot.send_message(started, "字" * 4096)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await bot.send_message(started, "字" * 4097)


async def test_the_limit_counts_text_after_entity_parsing(bot: Bot, started: int) -> None:
    await bot.send_message(started, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")


async def test_empty_text_is_refused(bot: Bot, started: int) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: message text is empty"):
        await bot.send_message(started, "<b></b>", parse_mode="HTML")


async def test_caption_over_1024_characters_is_too_long(bot: Bot, started: int) -> None:
    photo = BufferedInputFile(tiny_png(), "p.png")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message caption is too long"):
        await bot.send_photo(started, photo, caption="x" * 1025)


async def test_callback_data_over_64_bytes_is_button_data_invalid(bot: Bot, started: int) -> None:
    await bot.send_message(started, "ok", reply_markup=keyboard("x" * 64))
    with pytest.raises(TelegramBadRequest, match="Bad Request: BUTTON_DATA_INVALID"):
        await bot.send_message(started, "no", reply_markup=keyboard("字" * 22))  # 66 bytes


async def test_unbalanced_html_cannot_be_parsed(bot: Bot, started: int) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities: Can't find end tag"):
        await bot.send_message(started, "<b>bold", parse_mode="HTML")
    with pytest.raises(
        TelegramBadRequest, match='Unmatched end tag at byte offset 7, expected "</i>"'
    ):
        await bot.send_message(started, "<b><i>x</b></i>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "div"'):
        await bot.send_message(started, "<div>x</div>", parse_mode="HTML")


async def test_allowed_html_tags_become_entities(bot: Bot, started: int) -> None:
    sent = await bot.send_message(
        started,
        '<a href="https://x.org">链接</a> <tg-spoiler>s</tg-spoiler> <code>c</code> 1 &lt; 2',
        parse_mode="HTML",
    )
    assert sent.text == "链接 s c 1 < 2"
    assert [e.type for e in sent.entities or []] == ["text_link", "spoiler", "code"]


async def test_an_edit_that_changes_nothing_is_not_modified(bot: Bot, started: int) -> None:
    sent = await bot.send_message(started, "same", reply_markup=keyboard())
    with pytest.raises(TelegramBadRequest, match="message is not modified: specified new"):
        await bot.edit_message_text(
            "same", chat_id=started, message_id=sent.message_id, reply_markup=keyboard()
        )
    edited = await bot.edit_message_text("changed", chat_id=started, message_id=sent.message_id)
    assert not isinstance(edited, bool) and edited.edit_date is not None


async def test_editing_a_missing_message_is_refused(bot: Bot, started: int) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: message to edit not found"):
        await bot.edit_message_text("x", chat_id=started, message_id=999)


async def test_editing_the_persons_message_is_refused(bot: Bot, started: int) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: message can't be edited"):
        await bot.edit_message_text("x", chat_id=started, message_id=1)


async def test_a_callback_answered_twice_is_too_old(bot: Bot, person: Person, started: int) -> None:
    await bot.send_message(started, "tap", reply_markup=keyboard())
    tapped = await person.post("callback", label="OK", user_id=started)
    assert await bot.answer_callback_query(tapped["callback_query_id"], text="收到")
    with pytest.raises(TelegramBadRequest, match="query is too old and response timeout expired"):
        await bot.answer_callback_query(tapped["callback_query_id"])
    answer = await person.get(f"callback/{tapped['callback_query_id']}")
    assert answer["answered"] and answer["answer"]["text"] == "收到"


async def test_an_unknown_callback_is_too_old(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query("12345")


async def test_a_user_who_blocked_the_bot_cannot_be_reached(
    bot: Bot, person: Person, started: int
) -> None:
    await person.post("block", user_id=started)
    [*_, update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(TelegramForbiddenError, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(started, "hello?")


async def test_a_user_who_never_started_the_bot_cannot_be_reached(bot: Bot, person: Person) -> None:
    await person.post("message", text="hi all", user_id=33, chat_id=-500, chat_title="楼栋群")
    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation with a user"):
        await bot.send_message(33, "hello")


async def test_a_group_the_bot_is_not_in_is_forbidden(bot: Bot, person: Person) -> None:
    await person.post("join", chat_id=-600, user_id=BOT_ID, chat_title="一号楼")
    await bot.send_message(-600, "我来了")
    await person.post("leave", chat_id=-600, user_id=BOT_ID)
    with pytest.raises(
        TelegramForbiddenError, match="Forbidden: bot is not a member of the group chat"
    ):
        await bot.send_message(-600, "still here?")
    kinds = [(u.my_chat_member or u.message) is not None for u in await bot.get_updates()]
    assert all(kinds) and len(kinds) == 4  # my_chat_member + joined, my_chat_member + left


async def test_a_migrated_group_answers_with_the_new_chat_id(bot: Bot, person: Person) -> None:
    await person.post("message", text="hi", user_id=34, chat_id=-700, chat_title="二号楼")
    migrated = await person.post("migrate", chat_id=-700)
    new_id = migrated["new_chat_id"]
    assert str(new_id).startswith("-100")
    with pytest.raises(TelegramMigrateToChat) as refused:
        await bot.send_message(-700, "hello")
    assert refused.value.migrate_to_chat_id == new_id
    assert (await bot.send_message(new_id, "hello")).chat.type == "supergroup"
    service = [u.message for u in await bot.get_updates() if u.message]
    assert service[-2].migrate_to_chat_id == new_id
    assert service[-1].migrate_from_chat_id == -700
