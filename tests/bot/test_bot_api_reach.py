"""`gridbot run` while the Bot API cannot be reached: one log line per attempt naming the
address, waits that double up to a minute, SIGTERM still stops it at once; the bot starts
when the API comes back; a token the API rejects (401) ends it in one line. The real
command line runs against a closed port and against the sandbox stand."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from gridbot.bot.reach import FIRST_WAIT, JITTER, LONGEST_WAIT, wait_before
from gridbot.sandbox.server import SandboxServer

from .test_runner import gridbot_run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

TOKEN = "42:TEST"
ATTEMPT = re.compile(
    r"Bot API at (\S+) not reachable: getMe failed .*; attempt (\d+), next in ([\d.]+) s"
)


def test_waits_double_from_one_second_up_to_a_minute_with_jitter() -> None:
    steady = [wait_before(n, spread=lambda low, high: 1.0) for n in range(1, 10)]
    assert steady == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert wait_before(1, spread=lambda low, high: low) == FIRST_WAIT * (1 - JITTER)
    assert wait_before(1, spread=lambda low, high: high) == FIRST_WAIT * (1 + JITTER)
    assert wait_before(50, spread=lambda low, high: high) == LONGEST_WAIT
    assert len({wait_before(3) for _ in range(20)}) > 1  # jitter: processes do not knock in step


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Gridbot:
    """`gridbot run` in a subprocess, its stderr read line by line."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []

    async def line(self, matching: Callable[[str], bool], timeout: float = 30) -> str:  # noqa: ASYNC109
        async def read() -> str:
            assert self.process.stderr is not None
            while True:
                raw = await self.process.stderr.readline()
                assert raw, "gridbot ended:\n" + "\n".join(self.lines)
                self.lines.append(raw.decode().rstrip("\n"))
                if matching(self.lines[-1]):
                    return self.lines[-1]

        return await asyncio.wait_for(read(), timeout)

    async def end(self, timeout: float = 15) -> int:  # noqa: ASYNC109
        _, rest = await asyncio.wait_for(self.process.communicate(), timeout)
        self.lines += rest.decode().splitlines()
        assert self.process.returncode is not None
        return self.process.returncode


Starter = Callable[[str], Awaitable[Gridbot]]


@pytest.fixture
async def start(tmp_path: Path) -> AsyncIterator[Starter]:
    started: list[Gridbot] = []

    async def run(api_base: str) -> Gridbot:
        started.append(Gridbot(await gridbot_run(api_base, tmp_path)))
        return started[-1]

    yield run
    for bot in started:
        if bot.process.returncode is None:
            bot.process.kill()
            await bot.process.wait()


async def test_an_unreachable_bot_api_is_tried_again_one_line_each_until_sigterm(
    start: Starter,
) -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    bot = await start(base)
    first = ATTEMPT.search(await bot.line(ATTEMPT.search))
    second = ATTEMPT.search(await bot.line(ATTEMPT.search))
    assert first and second
    assert first[1] == second[1] == base
    assert (first[2], second[2]) == ("1", "2")
    assert float(first[3]) < float(second[3])  # 0.8-1.2 s, then 1.6-2.4 s
    bot.process.send_signal(signal.SIGTERM)  # while it waits before attempt 3
    assert await bot.end(timeout=10) == 0
    assert "Traceback" not in "\n".join(bot.lines)
    assert not any(
        "gridbot.bot.outbox_sender" in line for line in bot.lines
    )  # nothing else started


async def test_the_bot_starts_once_the_bot_api_answers(start: Starter) -> None:
    port = closed_port()
    bot = await start(f"http://127.0.0.1:{port}")
    await bot.line(ATTEMPT.search)
    stand = SandboxServer(TOKEN)
    await stand.start("127.0.0.1", port)
    try:
        reached = await bot.line(lambda line: "reached: getMe answered" in line)
        assert f"http://127.0.0.1:{port}" in reached
        await bot.line(lambda line: "due scheduler" in line and "started" in line)
        bot.process.send_signal(signal.SIGTERM)
        assert await bot.end() == 0
    finally:
        await stand.stop()
    assert "Traceback" not in "\n".join(bot.lines)


async def test_a_token_the_bot_api_rejects_ends_the_start_in_one_line(
    start: Starter,
) -> None:
    async with SandboxServer("1000:another-token", strict_token=True) as stand:
        bot = await start(stand.url)
        assert await bot.end(timeout=60) == 1
    problems = [line for line in bot.lines if line.startswith("gridbot:")]
    assert problems == [
        f"gridbot: BOT_TOKEN: the Bot API at {stand.url} rejected it (401 Unauthorized); "
        "copy the token again from @BotFather"
    ]
    assert "Traceback" not in "\n".join(bot.lines)
    assert not any("gridbot.bot.outbox_sender" in line for line in bot.lines)
