"""End-to-end fixtures: the stand and the real bot, fresh for every test.

The demo org is migrated and imported once per session into a template SQLite file; each
test gets a copy, its own stand on a free port and its own bot, so tests never see each
other's chats or rows, and a test costs a bot start-up (tens of milliseconds), not a
migration.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gridbot.bot.demo import demo_personas, load_demo_spec, prepare_database, sqlite_url
from gridbot.domain.binding import BindingKind
from gridbot.domain.org import Role
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
async def world(
    db_file: Path, personas: list[dict[str, Any]], demo_spec: OrgSpec
) -> AsyncIterator[World]:
    async with start_world(db_file, personas) as world:
        yield world
        await assert_no_personal_data_in_groups(world, demo_spec)


def personal_data(spec: OrgSpec) -> tuple[set[str], set[str]]:
    """What no group may ever read (every phone of the demo, its residents' and key
    residents' names, the key residents' addresses), and the staff's names: a workers'
    group of the grid team may read who holds a case, a residents' group may not."""
    never: set[str] = set()
    staff: set[str] = set()
    for entry in spec.people:
        person = entry.person
        if person.phone:
            never.add(person.phone)
        is_staff = any(role.role != Role.RESIDENT for role in entry.roles)
        (staff if is_staff else never).add(person.name)
    for cared in spec.care:
        never.update(x for x in (cared.name, cared.phone, cared.address) if x)
    return never, staff - never


async def assert_no_personal_data_in_groups(world: World, spec: OrgSpec) -> None:
    """After every end-to-end test: the bot's messages in every group of the stand carry
    no phone of the demo, no resident's or key resident's name, and (outside the grid
    teams' own groups) no staff name either."""
    never, staff = personal_data(spec)
    async with world.database.reader() as uow:
        workers = {
            chat.id
            for chat in world.state.chats.values()
            if chat.type != "private"
            and (bound := await uow.bindings.get(chat.id)) is not None
            and bound.kind == BindingKind.WORKER_GROUP
        }
    leaks = []
    for chat in list(world.state.chats.values()):
        if chat.type == "private":
            continue
        forbidden = never if chat.id in workers else never | staff
        for stored in list(chat.messages.values()):
            if not stored.from_bot:
                continue
            # What the bot wrote (a reply's quote of the member's own message is theirs).
            data = stored.data
            shown = json.dumps(
                [data.get("text"), data.get("caption"), data.get("reply_markup")],
                ensure_ascii=False,
            )
            found = sorted(word for word in forbidden if word in shown)
            if found:
                leaks.append(f"group {chat.id} message {stored.message_id}: {found}")
    assert not leaks, "personal data in a group chat:\n" + "\n".join(leaks)
