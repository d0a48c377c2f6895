"""The queries of /team and /invite, on SQLite and on PostgreSQL: a team's open load grouped
in the database, the last delivery to each private chat, counting a role's holders, and
invitations taken once."""

from __future__ import annotations

from datetime import timedelta

from gridbot.domain.case import CaseKind, CaseStatus
from gridbot.domain.messaging import OutboxMessage, OutboxStatus
from gridbot.domain.org import Person, Role, RoleAssignment
from gridbot.domain.staffing import Load, StaffInvite
from gridbot.storage.database import Database

from .factories import T0, Seed, make_case

S = CaseStatus


async def test_open_load_counts_open_issues_and_the_overdue_among_them_per_handler(
    db: Database, seed: Seed
) -> None:
    now = T0 + timedelta(hours=5)
    early, late = T0 + timedelta(hours=1), T0 + timedelta(days=2)
    async with db.uow() as uow:
        other = await uow.people.save(Person("李娜", telegram_id=1003))
        assert other.id is not None
        cases = [
            # the worker's: waiting past its response deadline, waiting in time, in progress
            # past its resolution deadline, in progress in time, resolved, a wish
            make_case(seed, "2026-000001", status=S.ASSIGNED, respond_by=early),
            make_case(seed, "2026-000002", status=S.ASSIGNED, respond_by=late),
            make_case(
                seed, "2026-000003", status=S.IN_PROGRESS, respond_by=early, resolve_by=early
            ),
            make_case(seed, "2026-000004", status=S.IN_PROGRESS, respond_by=early, resolve_by=late),
            make_case(seed, "2026-000005", status=S.RESOLVED, resolve_by=early),
            make_case(seed, "2026-000006", kind=CaseKind.WISH, status=S.ASSIGNED, respond_by=early),
            # someone else's, in time
            make_case(seed, "2026-000007", status=S.IN_PROGRESS, resolve_by=late),
        ]
        for case in cases[:6]:
            case.assignee_id = seed.worker_id
        cases[6].assignee_id = other.id
        for case in cases:
            await uow.cases.add(case)
        await uow.commit()

    async with db.reader() as uow:
        loads = await uow.cases.open_load([seed.worker_id, other.id, seed.reporter_id], now)
        nobody = await uow.cases.open_load([], now)

    assert loads == {seed.worker_id: Load(4, 2), other.id: Load(1, 0)}
    assert nobody == {}


async def test_the_last_delivery_to_a_private_chat_counts_messages_not_command_menus(
    db: Database, seed: Seed
) -> None:
    sent = OutboxStatus.SENT
    async with db.uow() as uow:
        for chat, method, status, message_id, minutes in (
            (1001, "sendMessage", sent, 11, 1),
            (1001, "sendPhoto", sent, 12, 5),
            (1001, "sendMessage", OutboxStatus.PENDING, None, 9),
            (2001, "setMyCommands", sent, None, 2),  # a menu: no message was delivered
            (2002, "sendMessage", OutboxStatus.UNREACHABLE, None, 3),
        ):
            at = T0 + timedelta(minutes=minutes)
            message = OutboxMessage(chat, method, {"text": "…"}, at, status=status)
            message.message_id, message.sent_at = message_id, at if status == sent else None
            await uow.outbox.add(message)
        await uow.commit()

    async with db.reader() as uow:
        delivered = await uow.outbox.delivered_to([1001, 2001, 2002, 3003])

    assert delivered == {1001: T0 + timedelta(minutes=5)}


async def test_holders_of_a_role_are_counted_on_exactly_the_units_given(
    db: Database, seed: Seed
) -> None:
    async with db.uow() as uow:
        for telegram_id in (2101, 2102, 2103):
            person = await uow.people.save(Person(f"居民{telegram_id}", telegram_id=telegram_id))
            assert person.id is not None
            unit = seed.grid if telegram_id < 2103 else "DL-WX-LY"
            await uow.people.add_role(RoleAssignment(person.id, Role.RESIDENT, unit))
        await uow.people.add_role(RoleAssignment(seed.worker_id, Role.GRID_WORKER, seed.grid))
        await uow.commit()

    async with db.reader() as uow:
        assert await uow.people.count_holders(Role.RESIDENT, [seed.grid]) == 2
        assert await uow.people.count_holders(Role.RESIDENT, [seed.grid, "DL-WX-LY"]) == 3
        assert await uow.people.count_holders(Role.GRID_WORKER, [seed.grid]) == 1
        assert await uow.people.count_holders(Role.RESIDENT, []) == 0


async def test_an_invitation_is_found_by_its_code_and_taken_once(db: Database, seed: Seed) -> None:
    invite = StaffInvite("c0de", Role.GRID_WORKER, seed.grid, seed.worker_id, T0, T0 + timedelta(7))
    async with db.uow() as uow:
        saved = await uow.invites.add(invite)
        await uow.commit()
    assert saved.id is not None and saved.unit_code == seed.grid

    async with db.uow() as uow:
        assert await uow.invites.by_code("nope") is None
        found = await uow.invites.by_code("c0de")
        taken = await uow.invites.take(saved.id, seed.reporter_id, T0 + timedelta(hours=1))
        again = await uow.invites.take(saved.id, seed.worker_id, T0 + timedelta(hours=2))
        await uow.commit()

    assert found == saved and not found.accepted
    assert taken and not again
    async with db.reader() as uow:
        after = await uow.invites.by_code("c0de")
    assert after is not None and after.accepted
    assert (after.accepted_by, after.accepted_at) == (seed.reporter_id, T0 + timedelta(hours=1))
    assert (after.invited_by, after.role, after.expires_at) == (
        seed.worker_id,
        Role.GRID_WORKER,
        T0 + timedelta(days=7),
    )
