"""Before a command starts: its settings, read and checked, and its database, reached.

Whatever is wrong becomes a ``StartupProblem`` (bot/problems.py) the command line prints
in one line per problem: ``SettingsError`` (exit 2) names each bad environment variable
and a good value; ``ServiceUnreachable`` (exit 1) names DATABASE_URL, password hidden, and
the reason it could not be used.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import sqlite3
from typing import Any

from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gridbot.bot.config import Settings, shown_url
from gridbot.bot.problems import ServiceUnreachable, SettingsError
from gridbot.storage.migrate import upgrade

# Values never repeated back, even when wrong: secrets, or addresses that may hold one.
UNSHOWN = ("BOT_TOKEN", "WEBHOOK_SECRET", "DATABASE_URL", "REDIS_URL")
CONNECT_SECONDS = 10


def load_settings(*, token_required: bool = False, **fixed: Any) -> Settings:
    """The settings of the environment (and .env), ``fixed`` ones (by variable name)
    overriding them; ``SettingsError`` when some are bad or BOT_TOKEN is required and
    missing."""
    try:
        settings = Settings(**fixed)
    except ValidationError as error:
        raise SettingsError(*explain(error)) from None
    if token_required and settings.bot_token is None:
        raise SettingsError(
            "BOT_TOKEN is not set: put the token from @BotFather in the environment "
            "or .env (BOT_TOKEN=123456789:AAHdqTcv...)"
        )
    return settings


def explain(error: ValidationError) -> list[str]:
    """One line per bad setting, naming its environment variable."""
    lines = []
    for problem in error.errors(include_url=False):
        name = str(problem["loc"][0]) if problem["loc"] else "settings"
        message = str(problem["msg"]).removeprefix("Value error, ")
        if not message.startswith(name):
            shown = "" if name in UNSHOWN else f" (got {problem.get('input')!r})"
            message = f"{name}: {message}{shown}"
        lines.append(message)
    return lines


def migrate(url: str, *, setting: str = "DATABASE_URL") -> None:
    """Reach the database of ``url``, then migrate it to head (synchronous: call it where
    no event loop runs, e.g. in ``asyncio.to_thread``). ``ServiceUnreachable`` names
    ``setting`` when the database cannot be reached; a failing migration raises as is."""
    try:
        _reach(url)
    except (DBAPIError, OSError, sqlite3.Error) as error:
        raise ServiceUnreachable(
            f"{setting} {shown_url(url)}: cannot connect: {reason(error)}"
        ) from None
    upgrade(url)


def _reach(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # The standard library's driver: aiosqlite's thread, failing to open the file,
        # may still answer a loop that is closed by then.
        if parsed.database in (None, "", ":memory:"):
            raise SettingsError(
                "DATABASE_URL: gridbot needs a SQLite file, e.g. sqlite+aiosqlite:///gridbot.db"
            )
        with contextlib.closing(sqlite3.connect(parsed.database)) as connection:
            connection.execute("SELECT 1")
        return
    asyncio.run(_reach_server(url))


async def _reach_server(url: str) -> None:
    # One connection, given up after CONNECT_SECONDS (asyncpg would wait a minute).
    engine = create_async_engine(url, poolclass=NullPool, connect_args={"timeout": CONNECT_SECONDS})
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


def reason(error: BaseException) -> str:
    """Why a connection failed, in a few words."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    if isinstance(error, socket.gaierror):
        return f"unknown host ({error.strerror})"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (is the server running, on that host and port?)"
    if isinstance(error, TimeoutError):
        return "timed out"
    lines = str(error).strip().splitlines()
    # asyncpg's errors, as SQLAlchemy wraps them, begin "<class '...InvalidPasswordError'>: "
    first = re.sub(r"^<class '[\w.]+'>: ", "", lines[0]) if lines else ""
    return first or type(error).__name__
