"""Crash tests: the real `gridbot run` as a child process against the stand, killed with
SIGKILL and started again on the same SQLite file (a copy of the end-to-end template)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import db_file, demo_db_template, demo_spec, personas
from e2e.harness import World
from gridbot.bot.demo import DEMO_TOKEN, sqlite_url
from gridbot.sandbox.server import SandboxServer
from gridbot.sandbox.webchat import register_personas
from gridbot.storage.database import Database

from .process import BotProcess

__all__ = ["db_file", "demo_db_template", "demo_spec", "personas"]


@pytest.fixture
async def stand(personas: list[dict[str, Any]]) -> AsyncIterator[SandboxServer]:
    server = SandboxServer(DEMO_TOKEN, strict_token=True)
    register_personas(server.app, personas)
    await server.start("127.0.0.1", 0)
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def world(
    stand: SandboxServer, db_file: Path, personas: list[dict[str, Any]]
) -> AsyncIterator[World]:
    """The stand's people and chats, and the bot's database read from this process; the
    bot itself is a ``BotProcess``."""
    database = Database(sqlite_url(db_file))
    world = World(stand, database, personas)
    try:
        yield world
    finally:
        await world.close()
        await database.dispose()


@pytest.fixture
async def bot(stand: SandboxServer, db_file: Path, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(stand, db_file, tmp_path)
    try:
        yield process
    finally:
        await process.stop()
