"""Headless Chromium against the stand and the real bot, as the demo runs them."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from e2e.harness import World, start_world
from gridbot.bot.demo import (
    demo_personas,
    furnish_stand,
    load_demo_spec,
    prepare_database,
    sqlite_url,
)

if TYPE_CHECKING:
    from playwright.async_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    missing = not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None
    skip = pytest.mark.skipif(
        missing, reason="needs Debian's Chromium at /usr/bin/chromium (`make browser` installs it)"
    )
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)
            item.add_marker(skip)


@pytest.fixture
async def demo_world(tmp_path: Path) -> AsyncIterator[World]:
    """Stand, personas, demo groups and the bot, as `gridbot demo` sets them up."""
    spec = load_demo_spec()
    db_file = tmp_path / "demo.db"
    database = await prepare_database(sqlite_url(db_file), spec)
    await database.dispose()
    personas = demo_personas(spec)
    async with start_world(db_file, personas) as world:
        await furnish_stand(world.server, personas)
        yield world


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()
