"""Processes on one database: each marks its presence, and one that would lose or duplicate
state next to the others refuses to start with a line saying why; the webhook is set once
for the address every process serves; a body that is not an update gets a 400."""

from __future__ import annotations

import asyncio
import socket
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot
from aiohttp import ClientSession, web
from sqlalchemy import text

from gridbot.bot.app import SystemClock
from gridbot.bot.demo import DEMO_TOKEN
from gridbot.bot.inbox import Inbox
from gridbot.bot.problems import StartupProblem
from gridbot.bot.processes import PREFIX, Presence, ProcessRegistry, refusal
from gridbot.bot.runner import run_bot
from gridbot.bot.webhook import SECRET_HEADER, register_webhook, webhook_handler
from gridbot.sandbox.server import SandboxServer
from gridbot.storage.database import Database
from gridbot.storage.uow import SqlUnitOfWork

from .test_inbox import Seen, _session, text_update
from .test_runner import TinyBotApi, settings_for
from .test_runner import api as api

POLLER = Presence("host:1:a", "polling")
HOOK = Presence("host:2:b", "webhook", "abc")


@pytest.mark.parametrize(
    ("me", "others", "backend", "shared", "says"),
    [
        (POLLER, [], "sqlite", False, None),
        (POLLER, [Presence("host:3:c", "polling")], "postgresql", True, "Long polling allows"),
        (HOOK, [POLLER], "postgresql", True, "Long polling allows"),
        (HOOK, [Presence("h:4:d", "webhook", "abc")], "sqlite", True, "need PostgreSQL"),
        (HOOK, [Presence("h:4:d", "webhook", "abc")], "postgresql", False, "need REDIS_URL"),
        (HOOK, [Presence("h:4:d", "webhook", "xyz")], "postgresql", True, "different WEBHOOK"),
        (HOOK, [Presence("h:4:d", "webhook", "abc")], "postgresql", True, None),
    ],
)
def test_who_may_run_next_to_whom(
    me: Presence, others: list[Presence], backend: str, shared: bool, says: str | None
) -> None:
    problem = refusal(me, others, backend=backend, shared_state=shared)
    if says is None:
        assert problem is None
    else:
        assert problem is not None and says in problem
        assert all(other.worker_id in problem for other in others)


def test_a_presence_reads_back_what_it_wrote() -> None:
    assert Presence.parse(HOOK.holder) == HOOK
    assert HOOK.name.startswith(PREFIX) and len(HOOK.name) <= 64


async def test_a_second_poller_on_the_same_database_is_refused_until_the_first_stops(
    api: tuple[TinyBotApi, str],
    tmp_path: Path,
) -> None:
    fake, base = api
    settings = settings_for(base, tmp_path / "bot.db")
    stop = asyncio.Event()
    first = asyncio.create_task(run_bot(settings, stop=stop))
    await asyncio.wait_for(fake.replied.wait(), 10)  # the first one runs and answers
    with pytest.raises(StartupProblem, match="Long polling allows one process"):
        await asyncio.wait_for(run_bot(settings, stop=asyncio.Event()), 10)
    assert not first.done()
    stop.set()
    await asyncio.wait_for(first, 10)
    database = Database(settings.database_url)
    try:
        registry = ProcessRegistry(database.uow, SystemClock(), Presence("h:9:z", "polling"))
        assert await registry.join() == []  # the first one left; the refused one never stayed
        await registry.leave()
    finally:
        await database.dispose()


def a_dead_pid() -> int:
    gone = subprocess.Popen(["true"])
    gone.wait()
    return gone.pid


async def test_a_dead_process_of_this_host_does_not_count(database: Database) -> None:
    dead = Presence(f"{socket.gethostname()}:{a_dead_pid()}:x", "polling")
    alive = Presence("elsewhere:1:y", "webhook", "abc")
    for presence in (dead, alive):
        await ProcessRegistry(database.uow, SystemClock(), presence).join()
    me = ProcessRegistry(database.uow, SystemClock(), Presence("h:9:z", "webhook", "abc"))
    assert await me.join() == [alive]
    async with database.reader() as uow:
        names = [name for name, _ in await uow.leases.held(PREFIX, SystemClock().now())]
    assert dead.name not in names and alive.name in names


async def test_a_presence_is_renewed_while_running_and_gone_after_leave(
    database: Database,
) -> None:
    renewed = asyncio.Event()
    joined = False

    def noting() -> SqlUnitOfWork:
        if joined:
            renewed.set()
        return database.uow()

    registry = ProcessRegistry(noting, SystemClock(), HOOK, renew_seconds=0.01)
    await registry.join()
    joined = True
    stop = asyncio.Event()
    keeping = asyncio.create_task(registry.keep(stop))
    await asyncio.wait_for(renewed.wait(), 5)
    stop.set()
    await asyncio.wait_for(keeping, 5)
    await registry.leave()
    async with database.reader() as uow:
        assert await uow.leases.held(PREFIX, SystemClock().now()) == []


async def test_the_webhook_is_set_by_the_first_process_and_left_alone_by_the_next() -> None:
    async with SandboxServer(DEMO_TOKEN) as server:
        bot = Bot(DEMO_TOKEN, session=_session(server.url))
        try:
            url = "https://bot.example.org/tg/hook"
            assert await register_webhook(bot, url, "s3cret", ["message"], alone=True)
            assert not await register_webhook(bot, url, "s3cret", ["message"], alone=False)
            assert (await bot.get_webhook_info()).url == url
            # Telegram lost it (or another address was set by hand): the next one sets it.
            await bot.delete_webhook()
            assert await register_webhook(bot, url, "s3cret", ["message"], alone=False)
            assert (await bot.get_webhook_info()).url == url
        finally:
            await bot.session.close()


@pytest.fixture
async def hook(database: Database) -> AsyncIterator[tuple[ClientSession, str]]:
    seen = Seen()
    bot = Bot(DEMO_TOKEN)
    inbox = Inbox(database, bot, seen.dispatcher, SystemClock())
    app = web.Application()
    app.router.add_post("/hook", webhook_handler(inbox, bot, "s3cret"))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with ClientSession() as client:
            yield client, f"http://127.0.0.1:{port}/hook"
        await inbox.settle(5)
    finally:
        await runner.cleanup()
        await bot.session.close()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00garbage",
        b"[1, 2]",
        b'{"update_id": "x"}',
        b"null",
        b'{"update_id": 9223372036854775808}',
    ],
)
async def test_a_body_that_is_not_an_update_gets_400_and_changes_nothing(
    hook: tuple[ClientSession, str],
    database: Database,
    body: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, url = hook
    headers = {SECRET_HEADER: "s3cret", "Content-Type": "application/json"}
    async with client.post(url, data=body, headers=headers) as response:
        assert response.status == 400
    async with database.reader() as uow:
        assert await uow.session.scalar(text("SELECT count(*) FROM inbox")) == 0
    assert "Traceback" not in caplog.text
    update = text_update(1, "fine").model_dump(mode="json", by_alias=True, exclude_none=True)
    async with client.post(url, json=update, headers={SECRET_HEADER: "s3cret"}) as response:
        assert response.status == 200
