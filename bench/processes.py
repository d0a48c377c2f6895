"""The bots as child processes: their environment, start, watch and stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from pathlib import Path
from typing import Any

from gridbot.bot.demo import DEMO_TOKEN

from .watch import BenchFailed, StandWatch

# Every setting gridbot reads (bot/config.py); the ones the benchmark relies on are set
# below, the others are dropped, so neither the caller's environment nor a stray .env
# changes the run (the bots also run in the temporary directory, where no .env is).
GRIDBOT_SETTINGS = (
    "BOT_TOKEN",
    "TELEGRAM_API_BASE",
    "DATABASE_URL",
    "REDIS_URL",
    "GRIDBOT_TZ",
    "GRIDBOT_LOCALE",
    "GRIDBOT_PATROL_TIMES",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "BOT_USERNAME",
)
STOP_SECONDS = 30.0  # gridbot lets the updates being handled finish for up to 10 s


def bot_environment(database_url: str | None, stand_url: str | None) -> dict[str, str]:
    """The caller's environment without gridbot's settings, then the benchmark's own."""
    env = {name: value for name, value in os.environ.items() if name not in GRIDBOT_SETTINGS}
    env.update(
        REDIS_URL="",  # conversation state in the database, as one process keeps it
        GRIDBOT_TZ="Asia/Shanghai",
        GRIDBOT_LOCALE="zh",
        GRIDBOT_PATROL_TIMES="",  # no patrol reminders firing in the middle of a run
        PYTHONUNBUFFERED="1",  # the log is complete when a failure prints its tail
    )
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    if stand_url is not None:
        env.update(BOT_TOKEN=DEMO_TOKEN, TELEGRAM_API_BASE=stand_url)
    return env


def python_command(*args: str) -> list[str]:
    return [sys.executable, *args]


def gridbot_command(*args: str, profile: str | None = None) -> list[str]:
    """``gridbot ARGS``; with ``profile`` (a file), under cProfile, whose statistics the
    bot writes there when it stops."""
    if profile:
        return python_command("-m", "cProfile", "-o", profile, "-m", "gridbot.bot.cli", *args)
    return python_command("-m", "gridbot.bot.cli", *args)


async def run_to_end(command: Sequence[str], env: Mapping[str, str], cwd: Path) -> None:
    """A short command (``gridbot org import``); its output is shown only when it fails."""
    process = await asyncio.create_subprocess_exec(
        *command,
        env=dict(env),
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    if process.returncode != 0:
        shown = output.decode(errors="replace")
        raise BenchFailed(f"{' '.join(command)} exited {process.returncode}:\n{shown}")


@contextlib.asynccontextmanager
async def running_bot(
    command: Sequence[str], env: Mapping[str, str], cwd: Path, log: Path, watch: StandWatch
) -> AsyncIterator[asyncio.subprocess.Process]:
    """The bot for the duration of the block; the watch fails its waiters if it exits early.

    On the way out (success or not) the bot gets SIGTERM, as an operator stops it, and is
    killed only if it has not exited after ``STOP_SECONDS``.
    """
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            *command, env=dict(env), cwd=cwd, stdout=output, stderr=asyncio.subprocess.STDOUT
        )
    exited = asyncio.create_task(_report_exit(process, watch))
    try:
        yield process
    finally:
        exited.cancel()
        await stop(process)


async def _report_exit(process: asyncio.subprocess.Process, watch: StandWatch) -> None:
    code = await process.wait()
    watch.fail(f"the bot exited with code {code}")


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(STOP_SECONDS):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()
    if process.returncode != 0:
        print(f"bench: the bot exited with code {process.returncode}", file=sys.stderr)


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time a live process has used, from /proc (Linux; else None)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the name in parentheses may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def log_tail(log: Path, lines: int = 40) -> str:
    if not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def run_in_workdir(run: Callable[[Path], Coroutine[Any, Any, int]], prefix: str) -> int:
    """A benchmark's entry point: ``run(workdir)`` in a temporary directory, its exit code.
    SIGTERM (a CI job cancelled, `timeout`) ends the run as Ctrl-C does, so the bots and the
    stands are stopped on the way out instead of being left polling; a failed check is
    one line and exit 1."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix=prefix) as workdir:
            code = asyncio.run(run(Path(workdir)))
    except BenchFailed as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(f"bench: done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return code
