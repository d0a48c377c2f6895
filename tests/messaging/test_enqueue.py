from __future__ import annotations

from datetime import timedelta

from gridbot.bot.outbox_sender import build_method
from gridbot.domain.due import reschedule, schedule
from gridbot.domain.messaging import ChatKind, DueKind, OutboxStatus
from gridbot.domain.outbox import enqueue_call, enqueue_photo, enqueue_text

from .fakes import T0, FakeClock, FakeUnitOfWork, Store

KEYBOARD = {"inline_keyboard": [[{"text": "接单 Accept", "callback_data": "accept:7"}]]}


async def test_enqueue_text_stores_a_pending_send_message_in_bot_api_shape() -> None:
    store = Store()
    async with FakeUnitOfWork(store) as uow:
        message = await enqueue_text(uow, FakeClock(), 42, "<b>hi</b>", reply_markup=KEYBOARD)
        await uow.commit()
    stored = store.outbox[message.id]  # type: ignore[index]
    assert stored.method == "sendMessage"
    assert stored.params == {"text": "<b>hi</b>", "parse_mode": "HTML", "reply_markup": KEYBOARD}
    assert (stored.chat_id, stored.chat_kind, stored.status) == (42, ChatKind.PRIVATE, "pending")
    assert stored.created_at == T0


async def test_enqueued_messages_vanish_when_the_use_case_does_not_commit() -> None:
    store = Store()
    async with FakeUnitOfWork(store) as uow:
        await enqueue_text(uow, FakeClock(), 42, "lost")
    assert store.outbox == {}


async def test_enqueue_photo_puts_parse_mode_only_with_a_caption() -> None:
    store = Store()
    async with FakeUnitOfWork(store) as uow:
        bare = await enqueue_photo(uow, FakeClock(), -5, "FILEID", chat_kind=ChatKind.GROUP)
        captioned = await enqueue_photo(uow, FakeClock(), -5, "FILEID", caption="现场照片")
    assert bare.params == {"photo": "FILEID"}
    assert captioned.params == {"photo": "FILEID", "caption": "现场照片", "parse_mode": "HTML"}


async def test_enqueue_call_keeps_the_chat_on_the_row_not_in_the_params() -> None:
    store = Store()
    later = T0 + timedelta(hours=1)
    async with FakeUnitOfWork(store) as uow:
        message = await enqueue_call(
            uow,
            FakeClock(),
            7,
            "editMessageText",
            {"chat_id": 99, "message_id": 3, "text": "updated"},
            not_before=later,
        )
    assert message.params == {"message_id": 3, "text": "updated"}
    assert message.not_before == later
    assert message.status is OutboxStatus.PENDING


async def test_stored_calls_become_aiogram_methods_aimed_at_the_row_chat() -> None:
    async with FakeUnitOfWork(Store()) as uow:
        message = await enqueue_text(uow, FakeClock(), 42, "hi", reply_markup=KEYBOARD)
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
