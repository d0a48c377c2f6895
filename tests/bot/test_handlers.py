"""Real Updates through the real Dispatcher; the Bot API is faked at the session boundary."""

from __future__ import annotations

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import CallbackQuery

from gridbot.domain.errors import PermissionDenied
from gridbot.domain.org import OrgUnit, Person, UnitLevel

from .fakes import STICKER, FakeStore, RecordingSession, callback_update, message_update

COMMUNITY = OrgUnit("DL-WX-LY", "临月里社区", UnitLevel.COMMUNITY)
GRID = OrgUnit("DL-WX-LY-01", "临月里第一网格", UnitLevel.GRID, parent_code="DL-WX-LY")
BUILDING = OrgUnit("DL-WX-LY-01-B3", "3号楼", UnitLevel.BUILDING, parent_code=GRID.code)


async def reply_to(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession, text: str | None, **kw: object
) -> str:
    await dispatcher.feed_update(bot, message_update(text, **kw))  # type: ignore[arg-type]
    replies = session.sent(SendMessage)
    assert len(replies) == 1, session.requests
    assert session.prepare_value(replies[0].parse_mode, bot=bot, files={}) == "HTML"
    return str(replies[0].text)


async def test_start_answers_in_chinese_for_zh_hans(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession
) -> None:
    text = await reply_to(dispatcher, bot, session, "/start", language_code="zh-hans")
    assert "李，您好！" in text and "加入链接" in text


async def test_start_answers_in_english_for_en(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession
) -> None:
    text = await reply_to(dispatcher, bot, session, "/start", language_code="en", first_name="Li")
    assert "Hello, Li!" in text and "join link" in text


async def test_start_answers_in_chinese_for_a_known_person_without_a_language(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession, store: FakeStore
) -> None:
    store.add_unit(COMMUNITY)
    store.add_unit(GRID)
    store.add_unit(BUILDING)
    store.add_person(Person(name="王芳", telegram_id=1001), ("resident", BUILDING.code))
    text = await reply_to(dispatcher, bot, session, "/start", language_code=None)
    assert "王芳，您好！" in text
    assert "您所在的网格：<b>临月里第一网格</b>" in text


async def test_the_saved_language_wins_over_telegram(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession, store: FakeStore
) -> None:
    store.add_person(Person(name="Wang", telegram_id=1001, language="en"))
    text = await reply_to(dispatcher, bot, session, "/start", language_code="zh-CN")
    assert "Hello, Wang!" in text


async def test_an_unknown_join_link_is_refused_without_pretending_to_join(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession
) -> None:
    text = await reply_to(dispatcher, bot, session, "/start j_abc123", language_code="en")
    assert "This link is not valid" in text and "nothing was changed" in text


async def test_help_lists_resident_commands_for_a_stranger(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession
) -> None:
    text = await reply_to(dispatcher, bot, session, "/help", language_code="en")
    for command in ("/start", "/report", "/wish", "/my", "/help", "/cancel", "/lang"):
        assert command in text
    assert "/tasks" not in text and "/stats" not in text and "/bind" not in text


async def test_help_lists_worker_commands_for_a_grid_worker(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession, store: FakeStore
) -> None:
    store.add_unit(COMMUNITY)
    store.add_unit(GRID)
    store.add_person(Person(name="张伟", telegram_id=1001), ("grid_worker", GRID.code))
    text = await reply_to(dispatcher, bot, session, "/help", language_code="zh")
    for command in ("/report", "/tasks", "/patrol", "/visits", "/case"):
        assert command in text
    assert "/wishes" not in text and "/stats" not in text


@pytest.mark.parametrize("text", ["/frobnicate", "/frobnicate@gridbot_test_bot now"])
async def test_an_unknown_command_gets_a_polite_hint(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession, text: str
) -> None:
    reply = await reply_to(dispatcher, bot, session, text, language_code="zh")
    assert "没有" in reply and "/help" in reply


async def test_a_sticker_gets_the_polite_hint(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession
) -> None:
    reply = await reply_to(dispatcher, bot, session, None, language_code="en", **STICKER)
    assert "I can't handle this message here." in reply and "/help" in reply


async def test_unknown_commands_in_groups_are_left_alone(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession
) -> None:
    await dispatcher.feed_update(bot, message_update("/other_bots_command", chat_type="group"))
    assert session.sent(SendMessage) == []


async def test_an_unexpected_failure_is_answered_politely_and_not_raised(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("gridbot.handlers.start.describe_person", broken)
    reply = await reply_to(dispatcher, bot, session, "/start", language_code="en")
    assert "something went wrong" in reply and "database on fire" not in reply


async def test_a_domain_refusal_is_answered_with_its_translated_message(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise PermissionDenied("not yours")

    monkeypatch.setattr("gridbot.handlers.start.describe_person", refuse)
    reply = await reply_to(dispatcher, bot, session, "/start", language_code="zh")
    assert reply == "抱歉，您没有权限进行此操作。"


async def test_a_failing_lookup_of_the_person_is_answered_too(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession, store: FakeStore
) -> None:
    async def broken(telegram_id: int) -> None:
        raise ConnectionError("db down")

    store.people.by_telegram_id = broken  # type: ignore[method-assign]
    reply = await reply_to(dispatcher, bot, session, "/help", language_code="en")
    assert "something went wrong" in reply


async def test_a_failing_callback_stops_the_spinner_and_answers(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession
) -> None:
    async def on_press(callback: CallbackQuery) -> None:
        raise RuntimeError("boom")

    # On the dispatcher itself: it is asked before the routers, whose fallback answers any tap.
    dispatcher.callback_query.register(on_press)
    await dispatcher.feed_update(bot, callback_update("case:accept:1", language_code="en"))
    assert len(session.sent(AnswerCallbackQuery)) == 1
    assert "something went wrong" in session.sent(SendMessage)[0].text


async def test_a_failing_reply_does_not_escape_the_error_handler(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession
) -> None:
    session.failures[SendMessage] = RuntimeError("network down")
    await dispatcher.feed_update(bot, message_update("/start"))  # does not raise
    assert len(session.sent(SendMessage)) == 2  # the welcome, then the apology
