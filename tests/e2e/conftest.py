"""End-to-end fixtures: the stand and the real bot, fresh for every test.

The demo org is migrated and imported once per session into a template SQLite file; each
test gets a copy, its own stand on a free port and its own bot, so tests never see each
other's chats or rows, and a test costs a bot start-up (tens of milliseconds), not a
migration.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gridbot.bot.demo import demo_personas, load_demo_spec, prepare_database, sqlite_url
from gridbot.services.orgimport import OrgSpec

from .harness import World, start_world


@pytest.fixture(scope="session")
def demo_spec() -> OrgSpec:
    return load_demo_spec()


@pytest.fixture(scope="session")
def personas(demo_spec: OrgSpec) -> list[dict[str, Any]]:
    return demo_personas(demo_spec)


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory, demo_spec: OrgSpec) -> Path:
    path = tmp_path_factory.mktemp("e2e-template") / "demo.db"

    async def build() -> None:
        database = await prepare_database(sqlite_url(path), demo_spec)
        await database.dispose()

    # A thread of its own: a session fixture must not borrow a test's event loop.
    worker = threading.Thread(target=asyncio.run, args=(build(),))
    worker.start()
    worker.join()
    assert path.exists(), "the template database was not created"
    return path


@pytest.fixture
def db_file(tmp_path: Path, demo_db_template: Path) -> Path:
    target = tmp_path / "gridbot.db"
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{demo_db_template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")
    return target


@pytest.fixture
async def world(db_file: Path, personas: list[dict[str, Any]]) -> AsyncIterator[World]:
    async with start_world(db_file, personas) as world:
        yield world
