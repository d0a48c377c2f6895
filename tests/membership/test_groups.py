"""Binding groups, following them, and greeting newcomers, on the real storage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridbot.domain.binding import BindingKind
from gridbot.domain.errors import (
    GroupNotBound,
    NotJoinable,
    PermissionDenied,
    UnknownLink,
    UnknownUnit,
)
from gridbot.services.context import Context
from gridbot.services.groups import (
    BindByLink,
    BindGroup,
    GroupChat,
    Unbind,
    bind_by_link,
    bind_group,
    bot_removed,
    greet_newcomers,
    group_migrated,
    unbind,
)
from gridbot.storage.database import Database

from .conftest import (
    ADMIN,
    OTHER_WORKER,
    RESIDENT,
    T0,
    WORKER,
    FixedClock,
    RecordingOutbox,
    actor,
)

CHAT = GroupChat(-100, "3号楼邻里群")


async def bind(db: Database, ctx: Context, tid: int, code: str, worker: bool = False) -> None:
    await bind_group(BindGroup(await actor(db, tid), CHAT, code, worker_group=worker), ctx)


async def unbind_as(db: Database, ctx: Context, tid: int) -> None:
    await unbind(Unbind(await actor(db, tid), CHAT.chat_id), ctx)


@pytest.mark.parametrize(
    ("code", "worker", "kind"),
    [
        ("LY1-B3", False, BindingKind.BUILDING),
        ("LY1", False, BindingKind.BUILDING),
        ("LY1", True, BindingKind.WORKER_GROUP),
    ],
)
async def test_the_grid_worker_binds_a_group_of_their_grid(
    db: Database, ctx: Context, code: str, worker: bool, kind: BindingKind
) -> None:
    await bind(db, ctx, WORKER, code, worker)
    async with db.reader() as uow:
        binding = await uow.bindings.get(CHAT.chat_id)
    assert binding is not None
    assert (binding.unit_code, binding.kind, binding.title, binding.active) == (
        code,
        kind,
        "3号楼邻里群",
        True,
    )


async def test_a_dedicated_grid_gets_an_enterprise_group(db: Database, ctx: Context) -> None:
    await bind(db, ctx, ADMIN, "PARK")
    async with db.reader() as uow:
        binding = await uow.bindings.get(CHAT.chat_id)
    assert binding is not None and binding.kind == BindingKind.ENTERPRISE


@pytest.mark.parametrize("tid", [RESIDENT, OTHER_WORKER, 9999])
async def test_residents_strangers_and_other_grids_workers_may_not_bind(
    db: Database, ctx: Context, tid: int
) -> None:
    with pytest.raises(PermissionDenied):
        await bind(db, ctx, tid, "LY1-B3")
    async with db.reader() as uow:
        assert await uow.bindings.get(CHAT.chat_id) is None


@pytest.mark.parametrize(
    ("code", "worker", "error"),
    [("NOPE", False, UnknownUnit), ("LY", False, NotJoinable), ("LY1-B3", True, NotJoinable)],
)
async def test_codes_that_are_not_a_grid_or_building_bind_nothing(
    db: Database, ctx: Context, code: str, worker: bool, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await bind(db, ctx, ADMIN, code, worker)


async def test_a_bind_link_binds_but_a_join_link_does_not(db: Database, ctx: Context) -> None:
    worker = await actor(db, WORKER)
    with pytest.raises(UnknownLink):
        await bind_by_link(BindByLink(worker, CHAT, "jB3"), ctx)
    bound = await bind_by_link(BindByLink(worker, CHAT, "bB3"), ctx)
    assert bound.unit.code == "LY1-B3" and bound.binding.bound_by is not None


async def test_unbinding_deactivates_and_an_unbound_group_says_so(
    db: Database, ctx: Context
) -> None:
    await bind(db, ctx, WORKER, "LY1-B3")
    with pytest.raises(PermissionDenied):
        await unbind_as(db, ctx, OTHER_WORKER)
    await unbind_as(db, ctx, WORKER)
    async with db.reader() as uow:
        binding = await uow.bindings.get(CHAT.chat_id)
    assert binding is not None and not binding.active
    with pytest.raises(GroupNotBound):
        await unbind_as(db, ctx, WORKER)


async def test_removal_deactivates_and_migration_moves_the_binding(
    db: Database, ctx: Context
) -> None:
    await bind(db, ctx, WORKER, "LY1-B3")
    assert await group_migrated(ctx, CHAT.chat_id, -1001)
    assert not await group_migrated(ctx, CHAT.chat_id, -1001)  # told twice
    assert await bot_removed(ctx, -1001)
    async with db.reader() as uow:
        assert await uow.bindings.get(CHAT.chat_id) is None
        moved = await uow.bindings.get(-1001)
    assert moved is not None and not moved.active


async def test_newcomers_are_greeted_once_per_five_minutes(
    db: Database, ctx: Context, clock: FixedClock, notifier: RecordingOutbox
) -> None:
    await bind(db, ctx, WORKER, "LY1-B3")
    greeted = []
    for minutes in (0, 1, 4.9, 5, 6):
        clock.at = T0 + timedelta(minutes=minutes)
        greeted.append(await greet_newcomers(ctx, CHAT.chat_id))
    assert greeted == [True, False, False, True, False]
    chat_id, template, keyboard, context = notifier.posts[0]
    assert (chat_id, template, list(context)) == (CHAT.chat_id, "groups/welcome.html.j2", ["unit"])
    assert context["unit"].code == "LY1-B3" and context["unit"].name == "临月里3号楼"
    assert keyboard is not None and keyboard.rows[0][0].start_payload == "j_jB3"


async def test_unbound_and_worker_groups_get_no_greeting(
    db: Database, ctx: Context, notifier: RecordingOutbox
) -> None:
    assert not await greet_newcomers(ctx, CHAT.chat_id)
    await bind(db, ctx, WORKER, "LY1", worker=True)
    assert not await greet_newcomers(ctx, CHAT.chat_id)
    assert notifier.posts == []
