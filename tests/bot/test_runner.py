"""The runner: settings errors, and a full start-poll-stop cycle against a tiny Bot API."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from gridbot.bot.config import Settings
from gridbot.bot.runner import (
    run_bot,
    run_polling_command,
    run_until_signalled,
    run_webhook,
    run_webhook_command,
)
from gridbot.sandbox.server import SandboxServer

from .fakes import FakeStore

TOKEN = "42:TEST"
ROOT = Path(__file__).resolve().parents[2]


class TinyBotApi:
    """Answers getMe, getUpdates (one /start, then nothing), sendMessage and the rest."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.pending = [self._start_update()]
        self.replied = asyncio.Event()
        self.asked = asyncio.Event()  # a sendMessage arrived
        self.hold = asyncio.Event()  # sendMessage answers once this is set
        self.hold.set()

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = {}
        if request.can_read_body:  # a JSON object or a form, as the Bot API takes both
            json_body = request.content_type == "application/json"
            params = dict(await request.json() if json_body else await request.post())
        self.calls.append((method, params))
        result: Any = True
        if method == "getMe":
            result = {"id": 42, "is_bot": True, "first_name": "gridbot", "username": "g_bot"}
        elif method == "getUpdates":
            result, self.pending = self.pending, []
            if not result:
                await asyncio.sleep(0.05)
        elif method == "sendMessage":
            self.asked.set()
            await self.hold.wait()
            self.replied.set()
            result = {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": int(str(params["chat_id"])), "type": "private"},
                "text": params["text"],
            }
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _start_update() -> dict[str, Any]:
        user = {"id": 1001, "is_bot": False, "first_name": "Li", "language_code": "en"}
        return {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": 1001, "type": "private"},
                "from": user,
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]


@pytest.fixture
async def api() -> AsyncIterator[tuple[TinyBotApi, str]]:
    fake = TinyBotApi()
    app = web.Application()
    app.router.add_post(f"/bot{TOKEN}/{{method}}", fake.handle)
    server = TestServer(app)
    await server.start_server()
    try:
        yield fake, str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


@pytest.fixture
def no_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET", "GRIDBOT_TZ", "GRIDBOT_LOCALE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_settings")
def test_run_without_bot_token_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_polling_command(argparse.Namespace()) == 2
    assert "BOT_TOKEN is not set" in capsys.readouterr().err


@pytest.mark.usefixtures("no_settings")
def test_webhook_without_url_and_secret_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    assert run_webhook_command(argparse.Namespace()) == 2
    assert "WEBHOOK_URL and WEBHOOK_SECRET" in capsys.readouterr().err


@pytest.mark.usefixtures("no_settings")
def test_bad_settings_exit_2_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("GRIDBOT_TZ", "Mars/Olympus")
    assert run_polling_command(argparse.Namespace()) == 2
    assert capsys.readouterr().err.startswith("gridbot: GRIDBOT_TZ: unknown time zone")


async def gridbot_run(api_base: str, workdir: Path) -> asyncio.subprocess.Process:
    """`gridbot run` as a child process against ``api_base``, on a SQLite file in
    ``workdir`` (its home and working directory too: no stray .env), stderr piped."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(workdir),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": api_base,
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'bot.db'}",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gridbot.bot.cli", "run",
        cwd=workdir, env=env, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def settings_for(api_base: str, db_file: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE=api_base,
        DATABASE_URL=f"sqlite+aiosqlite:///{db_file}",
    )


async def test_run_bot_migrates_answers_and_stops_cleanly(
    api: tuple[TinyBotApi, str], tmp_path: Path
) -> None:
    fake, base = api
    stop = asyncio.Event()
    running = asyncio.create_task(run_bot(settings_for(base, tmp_path / "bot.db"), stop=stop))
    await asyncio.wait_for(fake.replied.wait(), 10)
    stop.set()
    await asyncio.wait_for(running, 10)
    assert (tmp_path / "bot.db").exists()
    methods = fake.methods()
    assert {"setMyCommands", "deleteWebhook", "getMe", "getUpdates"} <= set(methods)
    (reply,) = [params for method, params in fake.calls if method == "sendMessage"]
    assert "Hello, Li!" in str(reply["text"]) and reply["parse_mode"] == "HTML"


async def test_a_stopping_bot_lets_the_update_being_handled_finish_first(
    api: tuple[TinyBotApi, str], tmp_path: Path
) -> None:
    fake, base = api
    fake.hold.clear()
    stop = asyncio.Event()
    running = asyncio.create_task(run_bot(settings_for(base, tmp_path / "bot.db"), stop=stop))
    await asyncio.wait_for(fake.asked.wait(), 10)
    stop.set()  # while the /start handler waits for its answer
    await asyncio.sleep(0.3)
    assert not running.done()
    fake.hold.set()
    await asyncio.wait_for(running, 10)
    assert fake.replied.is_set()


async def test_run_bot_stops_even_before_polling_started(
    api: tuple[TinyBotApi, str], tmp_path: Path
) -> None:
    _, base = api
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=base, DATABASE_URL="sqlite+aiosqlite://"
    )
    stop = asyncio.Event()
    stop.set()
    await asyncio.wait_for(run_bot(settings, stop=stop, store=FakeStore()), 10)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_gridbot_run_exits_0_on_sigterm_without_a_traceback(
    api: tuple[TinyBotApi, str], tmp_path: Path
) -> None:
    fake, base = api
    process = await gridbot_run(base, tmp_path)
    await asyncio.wait_for(fake.replied.wait(), 30)
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 15)
    assert process.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop is not installed on Windows")
def test_the_bot_and_the_demo_stand_run_on_uvloop() -> None:
    """uvloop is a dependency where it runs; the runner must use it, and the stand the demo
    starts on the same loop must bind there (uvloop's Server is not asyncio's)."""
    import uvloop

    seen: list[type[asyncio.AbstractEventLoop]] = []

    async def main(stop: asyncio.Event) -> int:
        seen.append(type(asyncio.get_running_loop()))
        async with SandboxServer(TOKEN) as stand, ClientSession() as http:
            response = await http.get(f"{stand.url}/bot{TOKEN}/getMe")
            me = await response.json()
        return 0 if me["ok"] else 1

    assert run_until_signalled(main) == 0
    assert seen == [uvloop.Loop]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_sets_itself_checks_the_secret_and_answers(
    api: tuple[TinyBotApi, str], tmp_path: Path
) -> None:
    fake, base = api
    port = free_port()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE=base,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook",
        WEBHOOK_SECRET="s3cret",
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )
    stop = asyncio.Event()
    running = asyncio.create_task(run_webhook(settings, stop=stop))
    while "setWebhook" not in fake.methods():
        assert not running.done(), running
        await asyncio.sleep(0.02)
    (params,) = [p for m, p in fake.calls if m == "setWebhook"]
    assert params["secret_token"] == "s3cret"
    url, update = f"http://127.0.0.1:{port}/tg/hook", TinyBotApi._start_update()
    async with ClientSession() as client:
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "nope"}
        async with client.post(url, json=update, headers=wrong) as response:
            assert response.status == 401
        right = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        async with client.post(url, json=update, headers=right) as response:
            assert response.status == 200
    await asyncio.wait_for(fake.replied.wait(), 10)
    stop.set()
    await asyncio.wait_for(running, 10)


async def test_a_bot_on_sqlite_checkpoints_until_it_is_stopped(tmp_path: Path) -> None:
    from gridbot.bot.runner import keep_checkpointing
    from gridbot.storage.database import Database

    class Counting(Database):
        calls = 0

        async def checkpoint(self) -> int:
            self.calls += 1
            if self.calls == 3:
                stop.set()
            if self.calls == 2:
                raise RuntimeError("disk trouble")  # logged; the next one tries again
            return await super().checkpoint()

    stop = asyncio.Event()
    database = Counting(f"sqlite+aiosqlite:///{tmp_path / 'gridbot.db'}")
    try:
        await asyncio.wait_for(keep_checkpointing(database, stop, every=0.001), 10)
    finally:
        await database.dispose()
    assert database.calls == 3
