"""`gridbot run` as a child process, killed and restarted by the crash tests, and what they
read to judge a crash: the inbox, the outbox, the calls the stand answered.

The environment is bench/processes.py's ``bot_environment`` (that module cannot be
imported here: tests/bench takes the name ``bench``)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import func, select

from gridbot.bot.demo import DEMO_TOKEN, sqlite_url
from gridbot.sandbox.server import SandboxServer
from gridbot.storage.database import Database
from gridbot.storage.rows import InboxRow, OutboxRow

START_SECONDS = 60.0  # a start on two busy cores: migrations checked, menus set, first poll
Sent = tuple[int, str]  # (chat id, text) of a message


def bot_environment(database_url: str, stand_url: str) -> dict[str, str]:
    """The caller's environment without gridbot's settings (no stray .env or variable
    changes the run), then the test's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRIDBOT_", "WEBHOOK_"))}
    for name in ("BOT_TOKEN", "TELEGRAM_API_BASE", "DATABASE_URL", "REDIS_URL", "BOT_USERNAME"):
        env.pop(name, None)
    env.update(
        BOT_TOKEN=DEMO_TOKEN,
        TELEGRAM_API_BASE=stand_url,
        DATABASE_URL=database_url,
        REDIS_URL="",
        GRIDBOT_TZ="Asia/Shanghai",
        GRIDBOT_LOCALE="zh",
        GRIDBOT_PATROL_TIMES="",
        GRIDBOT_QUIET_HOURS="off",  # the burst reaches residents at any hour
        GRIDBOT_OUTBOX_CLAIM_SECONDS="3",  # a killed sender's claims lapse quickly
        PYTHONUNBUFFERED="1",
    )
    return env


async def terminate(process: asyncio.subprocess.Process) -> int | None:
    """SIGTERM, as a deploy stops the bot; killed if it has not ended in 30 s. Its exit
    code."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()
    return process.returncode


def log_tail(log: Path, lines: int = 40) -> str:
    if not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


class BotProcess:
    def __init__(self, stand: SandboxServer, db_file: Path, workdir: Path) -> None:
        self.stand = stand
        self.env = bot_environment(sqlite_url(db_file), stand.url)
        self.workdir = workdir
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self.killing = False

    @property
    def log(self) -> Path:
        return self.workdir / f"bot-{self.starts}.log"

    async def start(self) -> None:
        """Start it and wait until it polls the stand (after handling what it recorded)."""
        self.starts += 1
        self.killing = False
        polls = self.stand.state.updates.polls
        with self.log.open("wb") as output:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "gridbot.bot.cli",
                "run",
                env=self.env,
                cwd=self.workdir,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
            )
        await self.until(lambda: self.stand.state.updates.polls > polls, START_SECONDS, "a poll")

    def kill_now(self) -> None:
        """SIGKILL at once, from a callback of the stand (``kill`` then reaps it)."""
        assert self.process is not None
        self.killing = True
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)

    async def killed(self) -> bool:
        return self.process is not None and self.process.returncode is not None

    async def kill(self) -> None:
        """SIGKILL: no handler, no drain, no lease released."""
        assert self.process is not None
        self.kill_now()
        await self.process.wait()
        self.process = None

    async def stop(self) -> None:
        if self.process is not None:
            await terminate(self.process)
        self.process = None

    def check(self) -> None:
        if self.process is not None and self.process.returncode is not None and not self.killing:
            raise AssertionError(
                f"the bot exited ({self.process.returncode}):\n{log_tail(self.log)}"
            )

    async def until(
        self, condition: Callable[[], bool | Awaitable[bool]], seconds: float, what: str
    ) -> None:
        """Wait for an event (checked every 20 ms) with a deadline; fail if the bot died."""
        deadline = time.monotonic() + seconds
        while True:
            self.check()
            outcome = condition()
            if outcome if isinstance(outcome, bool) else await outcome:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} in {seconds}s; bot log:\n{log_tail(self.log)}")
            await asyncio.sleep(0.02)


def answered(stand: SandboxServer, method: str = "sendMessage") -> Counter[Sent]:
    """What the stand accepted from the bot: (chat, text) of each successful call."""
    return Counter(
        (int(call.params["chat_id"]), str(call.params.get("text") or call.params.get("caption")))
        for call in stand.state.calls
        if call.method == method and call.ok
    )


async def unrecorded(database: Database, stand: SandboxServer) -> Counter[Sent]:
    """Outbox rows not marked sent whose message the stand has already accepted: the only
    ones a restart may send twice (the process died between Telegram's answer and the
    SENT commit)."""
    delivered = answered(stand)
    async with database.reader() as uow:
        rows = await uow.session.execute(
            select(OutboxRow.chat_id, OutboxRow.params).where(OutboxRow.status != "sent")
        )
        waiting = [(int(chat), str(params.get("text"))) for chat, params in rows]
    return Counter(sent for sent in waiting if delivered[sent])


def repeats(sent: Counter[Sent], may_repeat: Counter[Sent]) -> int:
    """How many messages went out again; fails unless each repeat is one the stand had
    answered before a kill without the outbox recording it (``unrecorded`` at the kill)."""
    repeated = {message: n for message, n in sent.items() if n > 1}
    assert all(n <= 1 + may_repeat[message] for message, n in repeated.items()), (
        f"sent twice without a documented reason: {repeated}, allowed: {may_repeat}"
    )
    return sum(n - 1 for n in repeated.values())


async def settled(database: Database, stand: SandboxServer) -> bool:
    """Nothing left: no update waiting at the stand or unhandled in the inbox, no pending
    outbox row."""
    if len(stand.state.updates):
        return False
    async with database.reader() as uow:
        unhandled = await uow.session.scalar(
            select(func.count()).select_from(InboxRow).where(InboxRow.handled_at.is_(None))
        )
        pending = await uow.session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "pending")
        )
    return not unhandled and not pending
