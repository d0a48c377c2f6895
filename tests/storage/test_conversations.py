"""Conversation state in the database (aiogram's storage when REDIS_URL is not set): it
outlives the process that wrote it, each key is its own conversation, a cleared or stale one
leaves nothing behind, and a write is one short turn among the process's writers."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import func, select

from gridbot.bot.conversations import CONVERSATION_TTL, DatabaseStorage
from gridbot.storage.database import Database
from gridbot.storage.rows import ConversationRow
from gridbot.storage.uow import SqlUnitOfWork
from other_process import opened_again
from yielding import until

from .factories import T0

KEY = StorageKey(bot_id=42, chat_id=2001, user_id=2001)
DRAFT = {"draft": {"_kind": "ReportDraft", "category": "env", "text": "3号楼门口垃圾没人清"}}


class Report(StatesGroup):
    describe = State()
    confirm = State()


class Clock:
    def __init__(self) -> None:
        self.at = T0

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def storage(db: Database, clock: Clock) -> DatabaseStorage:
    return DatabaseStorage(db, clock)


@pytest.fixture
async def restarted(db: Database, clock: Clock) -> AsyncIterator[DatabaseStorage]:
    """The storage of a new process: a new ``Database`` on the same store."""
    async with opened_again(db) as other:
        yield DatabaseStorage(other, clock)


async def rows(db: Database) -> int:
    async with db.reader() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(ConversationRow)))


async def test_a_step_and_its_draft_outlive_the_process_that_wrote_them(
    storage: DatabaseStorage, restarted: DatabaseStorage
) -> None:
    context = FSMContext(storage, KEY)
    await context.set_data(DRAFT)
    await context.set_state(Report.confirm)
    later = FSMContext(restarted, KEY)
    assert await later.get_state() == "Report:confirm"
    assert await later.get_data() == DRAFT
    assert await later.update_data(photo="AgAD") == {**DRAFT, "photo": "AgAD"}
    assert await context.get_data() == {**DRAFT, "photo": "AgAD"}


async def test_every_part_of_the_key_names_a_conversation_of_its_own(
    storage: DatabaseStorage,
) -> None:
    keys = [
        KEY,
        StorageKey(bot_id=43, chat_id=2001, user_id=2001),
        StorageKey(bot_id=42, chat_id=-100777, user_id=2001),
        StorageKey(bot_id=42, chat_id=2001, user_id=2002),
        StorageKey(bot_id=42, chat_id=-100777, user_id=2001, thread_id=5),
        StorageKey(bot_id=42, chat_id=2001, user_id=2001, business_connection_id="bc1"),
        StorageKey(bot_id=42, chat_id=2001, user_id=2001, destiny="second"),
    ]
    for number, key in enumerate(keys):
        await storage.set_state(key, f"Step:{number}")
        await storage.set_data(key, {"n": number})
    for number, key in enumerate(keys):
        assert await storage.get_state(key) == f"Step:{number}"
        assert await storage.get_data(key) == {"n": number}


async def test_a_conversation_without_step_or_data_leaves_no_row(
    db: Database, storage: DatabaseStorage
) -> None:
    context = FSMContext(storage, KEY)
    await context.set_state(Report.describe)
    await context.update_data(DRAFT)
    await context.set_state(None)
    assert await context.get_state() is None and await context.get_data() == DRAFT
    assert await rows(db) == 1
    await context.set_state(Report.confirm)
    await context.clear()  # no step, then no data
    assert await context.get_state() is None and await context.get_data() == {}
    assert await rows(db) == 0
    await context.set_state(None)
    await context.set_data({})
    assert await rows(db) == 0


async def test_a_stale_conversation_is_gone_and_a_write_does_not_bring_it_back(
    db: Database, storage: DatabaseStorage, clock: Clock
) -> None:
    context = FSMContext(storage, KEY)
    await context.set_data(DRAFT)
    await context.set_state(Report.confirm)
    clock.at = T0 + CONVERSATION_TTL + timedelta(seconds=1)
    assert await context.get_state() is None and await context.get_data() == {}
    await context.set_state(Report.describe)
    assert await context.get_data() == {}
    assert await context.get_state() == "Report:describe"
    clock.at += CONVERSATION_TTL + timedelta(seconds=1)
    await context.set_data({"n": 1})
    assert await context.get_state() is None


async def test_stale_conversations_are_deleted_by_a_write_once_an_hour(
    db: Database, storage: DatabaseStorage, clock: Clock
) -> None:
    def at(user_id: int) -> StorageKey:
        return StorageKey(42, user_id, user_id)

    await storage.set_state(KEY, "Report:confirm")  # the first write sweeps (nothing yet)
    clock.at = T0 + timedelta(minutes=10)
    for user_id in range(3000, 3005):
        await storage.set_state(at(user_id), "Report:describe")
    clock.at = T0 + timedelta(minutes=50)
    await storage.set_state(at(4000), "Report:describe")
    clock.at = T0 + CONVERSATION_TTL + timedelta(minutes=20)
    await storage.set_data(at(4001), {"n": 1})  # swept: older than T0 + 20 minutes
    assert await rows(db) == 2
    clock.at = T0 + CONVERSATION_TTL + timedelta(minutes=55)
    await storage.set_data(at(4002), {"n": 2})  # 4000 is stale, swept 35 minutes ago
    assert await rows(db) == 3
    assert await storage.get_state(at(4000)) is None
    clock.at = T0 + CONVERSATION_TTL + timedelta(minutes=80)
    await storage.set_data(at(4003), {"n": 3})
    assert await rows(db) == 3
    assert await storage.get_data(at(4001)) == {"n": 1}


async def test_data_that_is_not_json_is_refused_and_changes_nothing(
    db: Database, storage: DatabaseStorage
) -> None:
    await storage.set_data(KEY, DRAFT)
    with pytest.raises(TypeError):
        await storage.set_data(KEY, {"when": T0})
    assert await storage.get_data(KEY) == DRAFT


async def test_values_the_standard_json_writes_are_read_back_as_written(
    storage: DatabaseStorage, restarted: DatabaseStorage
) -> None:
    data = {"text": "路灯不亮\n“东门”", "big": 2**62, "ratio": 0.1, "nan": float("nan")}
    await storage.set_data(KEY, data)
    read = await FSMContext(restarted, KEY).get_data()
    assert math.isnan(read.pop("nan"))
    assert read == {"text": "路灯不亮\n“东门”", "big": 2**62, "ratio": 0.1}


async def test_a_write_waits_its_turn_among_the_writers_and_a_read_does_not(
    db: Database, storage: DatabaseStorage
) -> None:
    if db.writer_lock is None:
        pytest.skip("PostgreSQL writers take no turns")
    lock = db.writer_lock
    await storage.set_state(KEY, "Report:describe")
    held, release = asyncio.Event(), asyncio.Event()

    async def another_writer() -> None:
        async with db.uow():
            held.set()
            await release.wait()

    holder = asyncio.create_task(another_writer())
    await held.wait()
    writing = asyncio.create_task(storage.set_state(KEY, "Report:confirm"))
    await until(lambda: lock.waiting == 1)
    assert await storage.get_state(KEY) == "Report:describe"  # the reader did not wait
    assert not writing.done()
    release.set()
    await holder
    await writing
    assert await storage.get_state(KEY) == "Report:confirm"
    assert not lock.locked


class Counted:
    """How many reading and writing units of work ``db`` gave out."""

    def __init__(self, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reads = self.writes = 0
        reader, writer = db.reader, db.uow

        def counted_reader() -> SqlUnitOfWork:
            self.reads += 1
            return reader()

        def counted_writer() -> SqlUnitOfWork:
            self.writes += 1
            return writer()

        monkeypatch.setattr(db, "reader", counted_reader)
        monkeypatch.setattr(db, "uow", counted_writer)


async def test_an_update_reads_its_conversation_once_and_writes_it_once_at_its_end(
    db: Database, storage: DatabaseStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    await storage.set_data(KEY, DRAFT)
    await storage.set_state(KEY, Report.describe)
    counted = Counted(db, monkeypatch)
    isolation = storage.create_isolation()
    async with isolation.lock(KEY):  # as aiogram holds it while it handles an update
        context = FSMContext(storage, KEY)
        assert await context.get_state() == "Report:describe"
        assert await context.get_data() == DRAFT
        await context.update_data(photos=["AgAD"])
        await context.set_state(Report.confirm)
        assert await context.get_data() == {**DRAFT, "photos": ["AgAD"]}
        assert (counted.reads, counted.writes) == (1, 0)
        assert await FSMContext(DatabaseStorage(db, Clock()), KEY).get_data() == DRAFT
    assert counted.writes == 1
    again = DatabaseStorage(Database(db.url), Clock())
    try:
        assert await again.get_state(KEY) == "Report:confirm"
        assert await again.get_data(KEY) == {**DRAFT, "photos": ["AgAD"]}
    finally:
        await again.database.dispose()


async def test_an_update_that_changes_nothing_writes_nothing(
    db: Database, storage: DatabaseStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    await storage.set_state(KEY, Report.describe)
    counted = Counted(db, monkeypatch)
    async with storage.create_isolation().lock(KEY):
        assert await storage.get_state(KEY) == "Report:describe"
    async with storage.create_isolation().lock(StorageKey(42, 5000, 5000)):
        assert await storage.get_state(StorageKey(42, 5000, 5000)) is None
    assert (counted.reads, counted.writes) == (2, 0)


async def test_an_update_that_ends_the_conversation_deletes_its_row_even_if_it_fails(
    db: Database, storage: DatabaseStorage
) -> None:
    await storage.set_data(KEY, DRAFT)
    await storage.set_state(KEY, Report.confirm)
    with pytest.raises(ZeroDivisionError):
        async with storage.create_isolation().lock(KEY):
            await FSMContext(storage, KEY).clear()
            raise ZeroDivisionError
    assert await rows(db) == 0


async def test_an_update_on_a_stale_conversation_starts_afresh(
    db: Database, storage: DatabaseStorage, clock: Clock
) -> None:
    await storage.set_data(KEY, DRAFT)
    await storage.set_state(KEY, Report.confirm)
    clock.at = T0 + CONVERSATION_TTL + timedelta(seconds=1)
    async with storage.create_isolation().lock(KEY):
        await storage.set_state(KEY, Report.describe)
    assert await storage.get_data(KEY) == {}
    assert await storage.get_state(KEY) == "Report:describe"


async def test_the_next_update_of_a_conversation_reads_nothing_and_a_new_process_reads_it(
    db: Database, storage: DatabaseStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with storage.create_isolation().lock(KEY):
        await FSMContext(storage, KEY).set_state(Report.describe)
    counted = Counted(db, monkeypatch)
    async with storage.create_isolation().lock(KEY):  # the next update of that chat
        assert await FSMContext(storage, KEY).get_state() == "Report:describe"
        await FSMContext(storage, KEY).update_data(DRAFT)
    async with storage.create_isolation().lock(KEY):
        assert await FSMContext(storage, KEY).get_data() == DRAFT
    assert (counted.reads, counted.writes) == (0, 1)
    again = DatabaseStorage(Database(db.url), Clock())
    try:
        async with again.create_isolation().lock(KEY):
            assert await FSMContext(again, KEY).get_data() == DRAFT
    finally:
        await again.database.dispose()


async def test_a_remembered_conversation_is_gone_once_stale_and_one_set_outside_is_read_again(
    db: Database, storage: DatabaseStorage, clock: Clock
) -> None:
    async with storage.create_isolation().lock(KEY):
        await FSMContext(storage, KEY).set_state(Report.describe)
    await storage.set_state(KEY, Report.confirm)  # outside an update: the database decides
    async with storage.create_isolation().lock(KEY):
        assert await storage.get_state(KEY) == "Report:confirm"
    clock.at = T0 + CONVERSATION_TTL + timedelta(seconds=1)
    async with storage.create_isolation().lock(KEY):
        assert await storage.get_state(KEY) is None


async def test_updates_ending_together_write_their_conversations_in_one_turn(
    db: Database, storage: DatabaseStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten updates end while another writer holds the write lock: the first one's write
    takes the next turn alone, the nine that came meanwhile share the one after it; a
    conversation that ended is deleted in that same batch."""
    if db.writer_lock is None:
        pytest.skip("PostgreSQL writers take no turns")
    keys = [StorageKey(bot_id=42, chat_id=3000 + n, user_id=3000 + n) for n in range(10)]
    await storage.set_state(keys[9], Report.describe)  # the one whose update ends it
    counted = Counted(db, monkeypatch)
    held, release = asyncio.Event(), asyncio.Event()

    async def another_writer() -> None:
        async with db.uow():
            held.set()
            await release.wait()

    async def update(key: StorageKey) -> None:
        async with storage.create_isolation().lock(key):
            if key == keys[9]:
                await storage.set_state(key, None)
            else:
                await storage.set_state(key, Report.confirm)
                await storage.set_data(key, {**DRAFT, "chat": key.chat_id})

    holder = asyncio.create_task(another_writer())
    await held.wait()
    updates = [asyncio.create_task(update(key)) for key in keys]
    await until(lambda: db.writer_lock is not None and db.writer_lock.waiting == 1)
    await until(lambda: storage.writes.waiting == 9)
    release.set()
    await asyncio.gather(holder, *updates)

    assert counted.writes == 1 + 2  # the other writer, then two turns for ten updates
    async with opened_again(db) as other:
        again = DatabaseStorage(other, Clock())
        for key in keys[:9]:
            assert await again.get_state(key) == "Report:confirm"
            assert await again.get_data(key) == {**DRAFT, "chat": key.chat_id}
        assert await again.get_state(keys[9]) is None
    assert await rows(db) == 9
