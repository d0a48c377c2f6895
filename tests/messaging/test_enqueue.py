from __future__ import annotations

from datetime import timedelta
from typing import Any

from gridbot.bot.outbox_sender import build_method
from gridbot.domain.messaging import ChatKind, DueKind, OutboxStatus
from gridbot.domain.org import Person
from gridbot.services.common import reschedule, schedule
from gridbot.services.notices.keyboards import Button, Keyboard
from gridbot.services.notices.outbox import OutboxWriter

from .fakes import T0, FakeUnitOfWork, Store

KEYBOARD = Keyboard.of([Button("接单 Accept", callback="accept:7")])
MARKUP = {"inline_keyboard": [[{"text": "接单 Accept", "callback_data": "accept:7"}]]}
PERSON = Person(name="张伟", telegram_id=42, id=1)


class Echo:
    """A renderer whose template is the text itself ("" renders nothing)."""

    def render(self, name: str, locale: str, /, **context: Any) -> str:
        return name

    def gettext(self, locale: str, msgid: str) -> str:
        return msgid

    def locale_for(self, language: str | None) -> str:
        return language or "zh"


WRITER = OutboxWriter(Echo())


async def test_a_message_to_a_person_is_a_pending_send_message_in_bot_api_shape() -> None:
    store = Store()
    async with FakeUnitOfWork(store) as uow:
        await WRITER.to_person(uow, T0, PERSON, "<b>hi</b>", keyboard=KEYBOARD)
        await uow.commit()
    (stored,) = store.outbox.values()
    assert stored.method == "sendMessage"
    assert stored.params == {"text": "<b>hi</b>", "parse_mode": "HTML", "reply_markup": MARKUP}
    assert (stored.chat_id, stored.chat_kind, stored.status) == (42, ChatKind.PRIVATE, "pending")
    assert stored.created_at == T0


async def test_queued_messages_vanish_when_the_use_case_does_not_commit() -> None:
    store = Store()
    async with FakeUnitOfWork(store) as uow:
        await WRITER.to_person(uow, T0, PERSON, "lost")
    assert store.outbox == {}


async def test_a_photo_has_a_parse_mode_only_with_a_caption() -> None:
    store = Store()
    async with FakeUnitOfWork(store) as uow:
        await WRITER.to_person(uow, T0, PERSON, "", photo="FILEID")
        await WRITER.to_person(uow, T0, PERSON, "现场照片", photo="FILEID")
        await uow.commit()
    bare, captioned = (m.params for m in store.outbox.values())
    assert bare == {"photo": "FILEID"}
    assert captioned == {"photo": "FILEID", "caption": "现场照片", "parse_mode": "HTML"}


async def test_a_group_post_is_marked_as_a_group_message() -> None:
    store = Store()
    async with FakeUnitOfWork(store) as uow:
        await WRITER.to_chat(uow, T0, -5, "公告")
        await uow.commit()
    (stored,) = store.outbox.values()
    assert (stored.chat_id, stored.chat_kind) == (-5, ChatKind.GROUP)


async def test_any_call_keeps_the_chat_on_the_row_not_in_the_params() -> None:
    store = Store()
    async with FakeUnitOfWork(store) as uow:
        await WRITER.call(
            uow, T0, 7, "editMessageText", {"chat_id": 99, "message_id": 3, "text": "updated"}
        )
        await uow.commit()
    (message,) = store.outbox.values()
    assert (message.chat_id, message.params) == (7, {"message_id": 3, "text": "updated"})
    assert message.status is OutboxStatus.PENDING


async def test_stored_calls_become_aiogram_methods_aimed_at_the_row_chat() -> None:
    store = Store()
    async with FakeUnitOfWork(store) as uow:
        await WRITER.to_person(uow, T0, PERSON, "hi", keyboard=KEYBOARD)
        await uow.commit()
    (message,) = store.outbox.values()
    method = build_method(message)
    assert type(method).__name__ == "SendMessage"
    assert method.chat_id == 42  # type: ignore[attr-defined]
    assert method.reply_markup.inline_keyboard[0][0].callback_data == "accept:7"  # type: ignore[attr-defined]


async def test_reschedule_replaces_the_pending_item_about_the_same_ref() -> None:
    store = Store()
    async with FakeUnitOfWork(store) as uow:
        await schedule(uow, DueKind.FOLLOW_UP, "2026-000001", T0, {"visit": 1})
        await reschedule(uow, DueKind.FOLLOW_UP, "2026-000001", T0 + timedelta(days=1))
        await uow.commit()
    (item,) = store.due.values()
    assert item.due_at == T0 + timedelta(days=1)
    assert item.payload == {}
