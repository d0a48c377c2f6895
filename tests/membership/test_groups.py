"""Binding groups, following them, and greeting newcomers, on the real storage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridbot.domain.binding import BindingKind
from gridbot.domain.errors import PermissionDenied
from gridbot.domain.groups import (
    GroupChat,
    GroupNotBound,
    UnknownUnit,
    bind_by_code,
    bind_by_token,
    bot_removed,
    greet_newcomers,
    group_migrated,
    unbind,
)
from gridbot.domain.membership import NotJoinable, UnknownLink
from gridbot.domain.org import Staff
from gridbot.domain.people import identify
from gridbot.storage.database import Database

from .conftest import (
    ADMIN,
    OTHER_WORKER,
    RESIDENT,
    T0,
    WORKER,
    FixedClock,
    RecordingNotifier,
)

CHAT = GroupChat(-100, "3号楼邻里群")


async def who(db: Database, telegram_id: int) -> Staff | None:
    async with db.uow() as uow:
        return await identify(uow, telegram_id)


async def bind(db: Database, clock: FixedClock, tid: int, code: str, worker: bool = False) -> None:
    async with db.uow() as uow:
        await bind_by_code(uow, clock, await identify(uow, tid), CHAT, code, worker_group=worker)
        await uow.commit()


@pytest.mark.parametrize(
    ("code", "worker", "kind"),
    [
        ("LY1-B3", False, BindingKind.BUILDING),
        ("LY1", False, BindingKind.BUILDING),
        ("LY1", True, BindingKind.WORKER_GROUP),
    ],
)
async def test_the_grid_worker_binds_a_group_of_their_grid(
    db: Database, clock: FixedClock, code: str, worker: bool, kind: BindingKind
) -> None:
    await bind(db, clock, WORKER, code, worker)
    async with db.uow() as uow:
        binding = await uow.bindings.get(CHAT.chat_id)
    assert binding is not None
    assert (binding.unit_code, binding.kind, binding.title, binding.active) == (
        code,
        kind,
        "3号楼邻里群",
        True,
    )


async def test_a_dedicated_grid_gets_an_enterprise_group(db: Database, clock: FixedClock) -> None:
    await bind(db, clock, ADMIN, "PARK")
    async with db.uow() as uow:
        binding = await uow.bindings.get(CHAT.chat_id)
    assert binding is not None and binding.kind == BindingKind.ENTERPRISE


@pytest.mark.parametrize("tid", [RESIDENT, OTHER_WORKER, 9999])
async def test_residents_strangers_and_other_grids_workers_may_not_bind(
    db: Database, clock: FixedClock, tid: int
) -> None:
    with pytest.raises(PermissionDenied):
        await bind(db, clock, tid, "LY1-B3")
    async with db.uow() as uow:
        assert await uow.bindings.get(CHAT.chat_id) is None


@pytest.mark.parametrize(
    ("code", "worker", "error"),
    [("NOPE", False, UnknownUnit), ("LY", False, NotJoinable), ("LY1-B3", True, NotJoinable)],
)
async def test_codes_that_are_not_a_grid_or_building_bind_nothing(
    db: Database, clock: FixedClock, code: str, worker: bool, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await bind(db, clock, ADMIN, code, worker)


async def test_a_bind_link_binds_but_a_join_link_does_not(db: Database, clock: FixedClock) -> None:
    async with db.uow() as uow:
        staff = await identify(uow, WORKER)
        with pytest.raises(UnknownLink):
            await bind_by_token(uow, clock, staff, CHAT, "jB3")
        bound = await bind_by_token(uow, clock, staff, CHAT, "bB3")
    assert bound.unit.code == "LY1-B3" and bound.binding.bound_by is not None


async def test_unbinding_deactivates_and_an_unbound_group_says_so(
    db: Database, clock: FixedClock
) -> None:
    await bind(db, clock, WORKER, "LY1-B3")
    async with db.uow() as uow:
        with pytest.raises(PermissionDenied):
            await unbind(uow, await identify(uow, OTHER_WORKER), CHAT.chat_id)
        await unbind(uow, await identify(uow, WORKER), CHAT.chat_id)
        await uow.commit()
    async with db.uow() as uow:
        binding = await uow.bindings.get(CHAT.chat_id)
        assert binding is not None and not binding.active
        with pytest.raises(GroupNotBound):
            await unbind(uow, await identify(uow, WORKER), CHAT.chat_id)


async def test_removal_deactivates_and_migration_moves_the_binding(
    db: Database, clock: FixedClock
) -> None:
    await bind(db, clock, WORKER, "LY1-B3")
    async with db.uow() as uow:
        assert await group_migrated(uow, CHAT.chat_id, -1001)
        assert not await group_migrated(uow, CHAT.chat_id, -1001)  # told twice
        assert await bot_removed(uow, -1001)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.bindings.get(CHAT.chat_id) is None
        moved = await uow.bindings.get(-1001)
    assert moved is not None and not moved.active


async def test_newcomers_are_greeted_once_per_five_minutes(
    db: Database, clock: FixedClock, notifier: RecordingNotifier
) -> None:
    await bind(db, clock, WORKER, "LY1-B3")
    greeted = []
    for minutes in (0, 1, 4.9, 5, 6):
        clock.at = T0 + timedelta(minutes=minutes)
        async with db.uow() as uow:
            greeted.append(await greet_newcomers(uow, clock, notifier, CHAT.chat_id))
            await uow.commit()
    assert greeted == [True, False, False, True, False]
    chat_id, template, keyboard, context = notifier.posts[0]
    assert (chat_id, template, context) == (
        CHAT.chat_id,
        "groups/welcome.html.j2",
        {"unit_name": "临月里3号楼"},
    )
    assert keyboard is not None and keyboard.rows[0][0].start_payload == "j_jB3"


async def test_unbound_and_worker_groups_get_no_greeting(
    db: Database, clock: FixedClock, notifier: RecordingNotifier
) -> None:
    async with db.uow() as uow:
        assert not await greet_newcomers(uow, clock, notifier, CHAT.chat_id)
    await bind(db, clock, WORKER, "LY1", worker=True)
    async with db.uow() as uow:
        assert not await greet_newcomers(uow, clock, notifier, CHAT.chat_id)
    assert notifier.posts == []
