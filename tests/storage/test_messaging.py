from __future__ import annotations

from datetime import timedelta

from gridbot.domain.messaging import ChatKind, DueItem, DueKind, OutboxMessage, OutboxStatus
from gridbot.storage.database import Database

from .factories import T0


def message(chat_id: int, minutes: int = 0, **changes: object) -> OutboxMessage:
    msg = OutboxMessage(
        chat_id,
        "sendMessage",
        {"text": "你好", "reply_markup": {"k": [1]}},
        T0 + timedelta(minutes=minutes),
    )
    for name, value in changes.items():
        setattr(msg, name, value)
    return msg


async def test_outbox_pending_lists_due_pending_messages_oldest_first(db: Database) -> None:
    async with db.uow() as uow:
        first = await uow.outbox.add(message(1))
        await uow.outbox.add(message(2, not_before=T0 + timedelta(hours=1)))
        await uow.outbox.add(message(3, status=OutboxStatus.SENT))
        second = await uow.outbox.add(message(-4, 1, chat_kind=ChatKind.GROUP))
        await uow.commit()
    async with db.uow() as uow:
        pending = await uow.outbox.pending(T0 + timedelta(minutes=5), limit=10)
        assert pending == [first, second]
        assert len(await uow.outbox.pending(T0 + timedelta(hours=2), limit=10)) == 3
        assert await uow.outbox.pending(T0, limit=1) == [first]


async def test_outbox_update_and_reroute_of_a_migrated_group(db: Database) -> None:
    async with db.uow() as uow:
        sent = await uow.outbox.add(message(-5))
        waiting = await uow.outbox.add(message(-5))
        sent.status, sent.attempts, sent.message_id = OutboxStatus.SENT, 1, 77
        sent.sent_at = T0 + timedelta(seconds=1)
        await uow.outbox.update(sent)
        assert await uow.outbox.reroute_chat(-5, -1005) == 1
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.outbox.get(sent.id or 0) == sent
        moved = await uow.outbox.get(waiting.id or 0)
    assert moved is not None and moved.chat_id == -1005


async def test_scheduling_the_same_due_item_twice_keeps_one(db: Database) -> None:
    item = DueItem(DueKind.RESPOND_DEADLINE, T0, "2026-000001", {"step": 1})
    async with db.uow() as uow:
        first = await uow.due.add(item)
        again = await uow.due.add(item)
        await uow.commit()
    assert first == again and first.payload == {"step": 1} and first.id is not None


async def test_claim_mark_done_cancel_and_release_stale(db: Database) -> None:
    async with db.uow() as uow:
        for n in range(3):
            await uow.due.add(DueItem(DueKind.FOLLOW_UP, T0 + timedelta(minutes=n), f"c{n}"))
        await uow.due.add(DueItem(DueKind.DIGEST, T0 + timedelta(days=1), "DL"))
        await uow.commit()
    now = T0 + timedelta(minutes=10)
    async with db.uow() as uow:
        claimed = await uow.due.claim_due(now, "worker-a", limit=10)
        assert [i.ref for i in claimed] == ["c0", "c1", "c2"]
        assert all(i.claimed_by == "worker-a" and i.claimed_at == now for i in claimed)
        assert await uow.due.claim_due(now, "worker-b", limit=10) == []
        await uow.due.mark_done(claimed[0].id or 0, now)
        assert await uow.due.cancel(DueKind.FOLLOW_UP, "c1") == 1
        assert await uow.due.release_stale(now + timedelta(minutes=1)) == 1
        await uow.commit()
    async with db.uow() as uow:
        (again,) = await uow.due.claim_due(now, "worker-b", limit=10)
        done = await uow.due.get(claimed[0].id or 0)
    assert again.ref == "c2" and again.claimed_by == "worker-b"
    assert done is not None and done.done_at == now


async def test_claiming_by_kind_leaves_other_kinds_unclaimed(db: Database) -> None:
    now = T0
    async with db.uow() as uow:
        await uow.due.add(DueItem(DueKind.FOLLOW_UP, now, "2026-000001"))
        await uow.due.add(DueItem(DueKind.RESPOND_DEADLINE, now, "2026-000001"))
        claimed = await uow.due.claim_due(now, "w", 10, kinds=[DueKind.RESPOND_DEADLINE])
        await uow.commit()
    assert [item.kind for item in claimed] == [DueKind.RESPOND_DEADLINE]
    async with db.uow() as uow:
        (left,) = await uow.due.claim_due(now, "w", 10)
    assert left.kind == DueKind.FOLLOW_UP
