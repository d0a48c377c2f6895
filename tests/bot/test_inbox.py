"""The inbox: recorded before confirmed, once per update_id, unfinished ones handled first at
start-up; the webhook answers only once the update is recorded, checks the secret and
handles a bounded number at once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message, Update
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from gridbot.bot.app import SystemClock
from gridbot.bot.demo import DEMO_TOKEN
from gridbot.bot.inbox import Inbox, poll
from gridbot.bot.webhook import SECRET_HEADER, webhook_handler
from gridbot.sandbox.server import SandboxServer
from gridbot.storage.database import Database
from gridbot.storage.repositories.inbox import SqlInboxRepository


def text_update(update_id: int, text: str) -> Update:
    return Update.model_validate(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(datetime(2026, 11, 30, tzinfo=UTC).timestamp()),
                "chat": {"id": 2001, "type": "private"},
                "from": {"id": 2001, "is_bot": False, "first_name": "Li"},
                "text": text,
            },
        }
    )


class Seen:
    """A dispatcher whose one handler notes each text; ``gate`` holds it while cleared."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.entered = asyncio.Event()
        self.dispatcher = Dispatcher()
        router = Router()

        @router.message()
        async def note(message: Message) -> None:
            self.entered.set()
            await self.gate.wait()
            if message.text == "boom":
                raise RuntimeError("a handler failed")
            self.texts.append(message.text or "")

        self.dispatcher.include_router(router)


@pytest.fixture
async def bot(tmp_path: Any) -> AsyncIterator[Bot]:
    bot = Bot(DEMO_TOKEN)
    yield bot
    await bot.session.close()


async def pending(database: Database) -> list[int]:
    async with database.reader() as uow:
        return [i for i, _ in await SqlInboxRepository(uow.session).pending()]


async def test_an_update_recorded_twice_is_new_only_the_first_time(
    database: Database, bot: Bot
) -> None:
    inbox = Inbox(database, bot, Seen().dispatcher, SystemClock())
    first, again = text_update(7, "a"), text_update(7, "a")
    assert [u.update_id for u in await inbox.record([first, text_update(8, "b")])] == [7, 8]
    assert await inbox.record([again]) == []
    assert await pending(database) == [7, 8]


async def test_start_up_handles_what_was_recorded_and_not_handled_in_order(
    database: Database, bot: Bot
) -> None:
    crashed = Inbox(database, bot, Seen().dispatcher, SystemClock())
    await crashed.record([text_update(1, "first"), text_update(2, "second")])  # then killed

    seen = Seen()
    restarted = Inbox(database, bot, seen.dispatcher, SystemClock())
    assert await restarted.replay() == 2
    assert seen.texts == ["first", "second"]
    assert await pending(database) == []
    assert await restarted.replay() == 0 and seen.texts == ["first", "second"]


async def test_a_handling_cut_off_stays_pending_and_a_failed_one_does_not(
    database: Database, bot: Bot
) -> None:
    seen = Seen()
    inbox = Inbox(database, bot, seen.dispatcher, SystemClock())
    await inbox.dispatch(await inbox.record([text_update(1, "boom")]))
    assert await inbox.settle(5)
    assert await pending(database) == []  # answered by the error handler, not retried

    seen.gate.clear()
    await inbox.dispatch(await inbox.record([text_update(2, "held")]))
    await asyncio.wait_for(seen.entered.wait(), 5)
    assert await inbox.settle(0.05) is False  # a stop that cannot wait longer
    for task in list(inbox._tasks):
        task.cancel()
    assert await pending(database) == [2]


async def test_polling_confirms_an_update_only_after_recording_it(
    database: Database, bot: Bot
) -> None:
    class FailingOnce(Inbox):
        failed = False

        async def record(self, updates: Any) -> list[Update]:
            if not self.failed:
                self.failed = True
                raise OSError("disk full")
            return await super().record(updates)

    async with SandboxServer(DEMO_TOKEN) as server:
        seen = Seen()
        stand_bot = Bot(DEMO_TOKEN, session=_session(server.url))
        inbox = FailingOnce(database, stand_bot, seen.dispatcher, SystemClock())
        stop = asyncio.Event()
        async with _client(server) as http:
            await http.post("/sim/message", json={"user_id": 2001, "text": "hello"})
        polling = asyncio.create_task(poll(inbox, stand_bot, seen.dispatcher, stop))
        try:
            while not seen.texts:
                assert not polling.done(), polling
                await asyncio.sleep(0.02)
            assert inbox.failed and seen.texts == ["hello"]
            assert await pending(database) == []
        finally:
            stop.set()
            await asyncio.wait_for(polling, 20)
            await inbox.settle(5)
            await stand_bot.session.close()
        assert seen.texts == ["hello"]


async def test_the_webhook_answers_once_recorded_checks_the_secret_and_bounds_handling(
    database: Database, bot: Bot
) -> None:
    seen = Seen()
    seen.gate.clear()
    inbox = Inbox(database, bot, seen.dispatcher, SystemClock(), limit=1)
    app = web.Application()
    app.router.add_post("/hook", webhook_handler(inbox, bot, "s3cret"))
    async with TestClient(TestServer(app)) as client:
        body = text_update(1, "one").model_dump(mode="json", by_alias=True, exclude_none=True)
        for headers in ({}, {SECRET_HEADER: "nope"}):
            response = await client.post("/hook", json=body, headers=headers)
            assert response.status == 401
        assert await pending(database) == []
        right = {SECRET_HEADER: "s3cret"}
        assert (await client.post("/hook", json={"x": 1}, headers=right)).status == 400

        assert (await client.post("/hook", json=body, headers=right)).status == 200
        assert await pending(database) == [1]  # recorded before the answer; still handled
        second = text_update(2, "two").model_dump(mode="json", by_alias=True, exclude_none=True)
        answering = asyncio.create_task(client.post("/hook", json=second, headers=right))
        await until_recorded(database, [1, 2])
        await asyncio.sleep(0.1)  # a moment in which the answer could have come, and did not
        assert not answering.done()  # the one slot is taken: the answer waits
        seen.gate.set()
        assert (await asyncio.wait_for(answering, 5)).status == 200
        again = await client.post("/hook", json=body, headers=right)  # Telegram resends
        assert again.status == 200
        assert await inbox.settle(5)
    assert seen.texts == ["one", "two"]
    assert await pending(database) == []


async def until_recorded(database: Database, ids: list[int]) -> None:
    async with asyncio.timeout(5):
        while await pending(database) != ids:  # noqa: ASYNC110 (the database is not an event)
            await asyncio.sleep(0.01)


def _session(url: str) -> Any:
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    return AiohttpSession(api=TelegramAPIServer.from_base(url))


@contextlib.asynccontextmanager
async def _client(server: SandboxServer) -> AsyncIterator[Any]:
    import aiohttp

    async with aiohttp.ClientSession(base_url=server.url) as http:
        yield http


async def test_an_update_is_marked_handled_in_the_transaction_of_its_change(
    database: Database, bot: Bot
) -> None:
    from gridbot.bot.replies import CommitWatch, WatchedStore

    inbox = Inbox(database, bot, Seen().dispatcher, SystemClock())
    changing, reading = text_update(5, "change"), text_update(6, "look")
    await inbox.record([changing, reading])
    store = WatchedStore(database, SystemClock())

    async def use_case(event: Any, data: dict[str, Any]) -> None:
        async with store.uow() as uow:
            if event.update_id == 5:
                await uow.commit()  # then the process dies: handle() never marks it

    for update in (changing, reading):
        await CommitWatch()(use_case, update, {})
    assert await pending(database) == [6]  # nothing committed: handled again at start-up


class CountedWrites:
    """How many writing units of work ``database`` gave out."""

    def __init__(self, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        self.writes = 0
        writer = database.uow

        def counted() -> Any:
            self.writes += 1
            return writer()

        monkeypatch.setattr(database, "uow", counted)


async def test_updates_ending_together_are_marked_handled_in_one_write(
    database: Database, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = Seen()
    inbox = Inbox(database, bot, seen.dispatcher, SystemClock())
    updates = await inbox.record([text_update(i, f"t{i}") for i in range(1, 11)])
    counted = CountedWrites(database, monkeypatch)
    await inbox.dispatch(updates)
    assert await inbox.settle(5)
    assert sorted(seen.texts) == sorted(f"t{i}" for i in range(1, 11))
    assert await pending(database) == []
    assert counted.writes < 10  # one per update without the grouping


async def test_an_update_that_changes_its_conversation_is_marked_in_that_write(
    database: Database, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiogram.fsm.context import FSMContext

    from gridbot.bot.conversations import DatabaseStorage

    storage = DatabaseStorage(database, SystemClock())
    dispatcher = Dispatcher(storage=storage, events_isolation=storage.create_isolation())

    @dispatcher.message()
    async def step(message: Message, state: FSMContext) -> None:
        await state.set_state("Report:describe")

    inbox = Inbox(database, bot, dispatcher, SystemClock())
    updates = await inbox.record([text_update(3, "/report")])
    counted = CountedWrites(database, monkeypatch)
    await inbox.dispatch(updates)
    assert await inbox.settle(5)
    assert await pending(database) == []
    assert counted.writes == 1  # the conversation's upsert and the mark, one commit
    async with database.reader() as uow:
        assert await SqlInboxRepository(uow.session).pending() == []


async def test_next_to_running_processes_only_older_updates_are_replayed(
    database: Database, bot: Bot
) -> None:
    from datetime import timedelta

    from gridbot.bot.inbox import REPLAY_AGE

    class Clock:
        at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)

        def now(self) -> datetime:
            return self.at

    clock = Clock()
    stopped = Inbox(database, bot, Seen().dispatcher, clock)
    await stopped.record([text_update(1, "old")])  # its process was killed
    clock.at += REPLAY_AGE + timedelta(seconds=1)
    await stopped.record([text_update(2, "new")])  # another live process is on it
    seen = Seen()
    joining = Inbox(database, bot, seen.dispatcher, clock)
    assert await joining.replay(others_running=True) == 1
    assert seen.texts == ["old"] and await pending(database) == [2]
    assert await joining.replay() == 1  # alone, everything unfinished
    assert seen.texts == ["old", "new"]


async def test_polling_an_unreachable_bot_api_names_it_and_keeps_trying(
    database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging
    import socket

    import gridbot.bot.inbox as inbox_module

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"http://127.0.0.1:{port}"
    waits: list[int] = []

    def quick(attempt: int) -> float:
        waits.append(attempt)
        return 0.001

    monkeypatch.setattr(inbox_module, "wait_before", quick)
    caplog.set_level(logging.WARNING, logger="gridbot.bot.inbox")
    unreachable = Bot(DEMO_TOKEN, session=_session(address))
    seen = Seen()
    inbox = Inbox(database, unreachable, seen.dispatcher, SystemClock())
    stop = asyncio.Event()
    polling = asyncio.create_task(poll(inbox, unreachable, seen.dispatcher, stop, api_base=address))
    try:
        async with asyncio.timeout(30):
            while len(waits) < 3:
                assert not polling.done(), polling
                await asyncio.sleep(0.01)
    finally:
        stop.set()
        await asyncio.wait_for(polling, 10)
        await unreachable.session.close()
    assert waits[:3] == [1, 2, 3]  # a growing wait, attempt after attempt
    lines = [r.getMessage() for r in caplog.records if "getUpdates failed" in r.getMessage()]
    assert len(lines) >= 3 and all(address in line for line in lines)
    assert DEMO_TOKEN not in caplog.text
