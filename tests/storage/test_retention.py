"""Retention on SQLite and PostgreSQL: old finished rows go in bounded batches; pending,
leased, undone, unhandled and young rows stay, and so does the last message delivered to
each chat."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from gridbot.domain.messaging import DueItem, DueKind, OutboxMessage, OutboxStatus
from gridbot.services.retention import purge_step
from gridbot.storage.database import Database
from gridbot.storage.repositories.inbox import SqlInboxRepository
from gridbot.storage.rows import DueItemRow, OutboxRow
from gridbot.storage.rows.inbox import InboxRow

from .factories import T0

OLD, YOUNG = T0, T0 + timedelta(days=20)
BEFORE = T0 + timedelta(days=10)  # the cut-off: OLD is before it, YOUNG after


def message(
    chat_id: int, created: datetime, status: OutboxStatus, delivered: bool
) -> OutboxMessage:
    msg = OutboxMessage(chat_id, "sendMessage", {"text": "你好"}, created)
    msg.status = status
    if status is not OutboxStatus.PENDING:
        msg.attempts, msg.sent_at = 1, msg.created_at + timedelta(seconds=1)
    msg.message_id = 500 + chat_id if delivered else None
    return msg


# (chat, created, status, delivered a message) in id order, and whether it must stay.
OUTBOX = [
    ((1, OLD, OutboxStatus.SENT, True), False),  # chat 1 got newer ones
    ((1, OLD, OutboxStatus.FAILED, False), False),
    ((2, OLD, OutboxStatus.UNREACHABLE, False), False),
    ((3, OLD, OutboxStatus.PENDING, False), True),  # still to send (or being sent)
    ((1, OLD, OutboxStatus.SENT, True), False),
    ((4, OLD, OutboxStatus.SENT, True), True),  # the last one chat 4 got: the bot reaches it
    ((4, OLD, OutboxStatus.SENT, False), False),  # a menu, an answer: no message delivered
    ((5, OLD, OutboxStatus.SENT, True), False),
    ((5, OLD, OutboxStatus.SENT, True), True),
    ((1, YOUNG, OutboxStatus.SENT, True), True),
    ((6, YOUNG, OutboxStatus.FAILED, False), True),
    ((6, YOUNG, OutboxStatus.PENDING, False), True),
]


async def outbox_ids(db: Database) -> list[int]:
    async with db.reader() as uow:
        return list(await uow.session.scalars(select(OutboxRow.id).order_by(OutboxRow.id)))


async def purge_outbox_to_the_end(db: Database, *, window: int) -> list[int]:
    """Purge step by step, as the nightly chain does, until nothing older is left; how
    many rows each step dropped."""
    after: int | None = 0
    steps = []
    while after is not None:
        async with db.uow() as uow:
            dropped, after = await uow.retention.purge_outbox(BEFORE, after, window=window)
            await uow.commit()
        steps.append(dropped)
    return steps


async def test_outbox_purge_walks_windows_and_keeps_what_is_not_finished_or_young(
    db: Database,
) -> None:
    async with db.uow() as uow:
        added = [await uow.outbox.add(message(*row)) for row, _ in OUTBOX]
        await uow.commit()
    kept = [m.id for m, (_, stays) in zip(added, OUTBOX, strict=True) if stays]

    steps = await purge_outbox_to_the_end(db, window=3)
    # Windows of three rows in id order; the fourth reaches the young rows and ends it.
    assert steps == [3, 1, 2, 0]
    assert await outbox_ids(db) == kept
    async with db.reader() as uow:
        reached = await uow.outbox.delivered_to([1, 2, 3, 4, 5, 6])
    assert sorted(reached) == [1, 4, 5]  # what /team shows is as before the purge


async def test_outbox_purge_of_a_long_backlog_reads_one_window_per_call(db: Database) -> None:
    async with db.uow() as uow:
        for n in range(25):
            await uow.outbox.add(message(7, OLD + timedelta(minutes=n), OutboxStatus.SENT, True))
        await uow.outbox.add(message(7, YOUNG, OutboxStatus.SENT, True))
        await uow.commit()
    steps = await purge_outbox_to_the_end(db, window=10)
    assert steps == [10, 10, 5]
    assert len(await outbox_ids(db)) == 1


async def test_done_due_items_go_in_batches_and_undone_ones_stay(db: Database) -> None:
    async with db.uow() as uow:
        for n in range(5):
            item = DueItem(DueKind.FOLLOW_UP, OLD, f"done{n}", done_at=OLD + timedelta(hours=n))
            await uow.due.add(item)
        await uow.due.add(DueItem(DueKind.FOLLOW_UP, OLD, "young", done_at=YOUNG))
        await uow.due.add(DueItem(DueKind.FOLLOW_UP, OLD, "waiting"))
        await uow.due.add(
            DueItem(DueKind.FOLLOW_UP, OLD, "in-flight", claimed_by="w", claimed_at=OLD)
        )
        await uow.commit()
    counts = []
    for _ in range(4):
        async with db.uow() as uow:
            counts.append(await uow.retention.purge_due_items(BEFORE, limit=2))
            await uow.commit()
    assert counts == [2, 2, 1, 0]
    async with db.reader() as uow:
        refs = await uow.session.scalars(select(DueItemRow.ref).order_by(DueItemRow.ref))
        assert list(refs) == ["in-flight", "waiting", "young"]


async def test_handled_updates_go_in_batches_and_unhandled_ones_stay(db: Database) -> None:
    async with db.uow() as uow:
        inbox = SqlInboxRepository(uow.session)
        await inbox.record([(n, "{}") for n in range(1, 6)], OLD)
        await inbox.mark_handled([1, 2, 3], OLD)
        await inbox.mark_handled([4], YOUNG)
        await uow.commit()
    counts = []
    for _ in range(3):
        async with db.uow() as uow:
            counts.append(await uow.retention.purge_inbox(BEFORE, limit=2))
            await uow.commit()
    assert counts == [2, 1, 0]
    async with db.reader() as uow:
        left = await uow.session.scalars(select(InboxRow.update_id).order_by(InboxRow.update_id))
        assert list(left) == [4, 5]


async def test_a_purge_step_shares_its_limit_and_says_when_nothing_old_is_left(
    db: Database,
) -> None:
    async with db.uow() as uow:
        for n in range(3):
            await uow.outbox.add(message(8, OLD, OutboxStatus.FAILED, False))
            await uow.due.add(DueItem(DueKind.DIGEST, OLD, f"d{n}", done_at=OLD))
        inbox = SqlInboxRepository(uow.session)
        await inbox.record([(n, "{}") for n in range(1, 4)], OLD)
        await inbox.mark_handled([1, 2, 3], OLD)
        await uow.commit()
    steps = []
    after: int | None = 0
    while not steps or not steps[-1].done:
        async with db.uow() as uow:
            step = await purge_step(uow, BEFORE, outbox_after=after, limit=4)
            await uow.commit()
        after = step.outbox_after
        steps.append(step)
    assert [(s.outbox, s.due_items, s.inbox) for s in steps] == [(3, 1, 0), (0, 2, 2), (0, 0, 1)]
    assert await outbox_ids(db) == []
