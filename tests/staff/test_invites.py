"""/invite: an administrator invites onto their units (and those below) only; the link is
single-use and expires; accepting it gives exactly the role on the unit, to a new account or
to a resident's own, and tells the administrator. Refusals change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from gridbot.domain.errors import (
    InviteExpired,
    InviteTaken,
    PermissionDenied,
    UnknownUnit,
    ValidationFailed,
)
from gridbot.domain.org import Role, RoleAssignment
from gridbot.domain.staffing import INVITABLE
from gridbot.services.context import Timing
from gridbot.services.membership import StartInvite, invite_roles
from gridbot.storage.rows import StaffInviteRow

from .conftest import ADMIN, LEADER, NEIGHBOUR_GRID, RESIDENT, SUPERVISOR, WORKER, Office

NEWCOMER, INTRUDER = 9100, 9101
ZB_STAFF = 1018  # 何伟, community staff of 詹滨里社区


async def roles_of(office: Office, telegram_id: int) -> list[tuple[Role, str]]:
    person = await office.account(telegram_id)
    assert person is not None and person.id is not None
    async with office.db.reader() as uow:
        return [(r.role, r.unit_code) for r in await uow.people.roles_of(person.id)]


async def test_the_administrator_picks_the_unit_by_steps_down_to_where_the_role_is_held(
    office: Office,
) -> None:
    assert await invite_roles(StartInvite(await office.actor(ADMIN)), office.ctx) == INVITABLE

    district = await office.step(ADMIN, "grid_worker")  # their one unit: opened at once
    street = await office.step(ADMIN, "grid_worker", "DL-WX")
    community = await office.step(ADMIN, "grid_worker", "DL-WX-LY")
    grid = await office.step(ADMIN, "grid_worker", NEIGHBOUR_GRID)

    assert district.unit is not None and district.unit.code == "DL"
    assert (district.here, district.back, [u.code for u in district.options]) == (
        False,
        None,
        ["DL-WX"],
    )
    assert [u.code for u in street.options] == ["DL-WX-LY", "DL-WX-ZB"] and street.back == "DL"
    assert [u.code for u in community.options] == ["DL-WX-LY-01", NEIGHBOUR_GRID]
    assert grid.here and grid.options == () and grid.back == "DL-WX-LY"
    # A building leader goes one step further; a supervisor stops above the grids.
    building = await office.step(ADMIN, "building_leader", NEIGHBOUR_GRID)
    assert not building.here and [u.code for u in building.options] == ["DL-WX-LY-02-B12"]
    assert (await office.step(ADMIN, "supervisor", "DL-WX-LY")).options == ()


async def test_an_invitation_accepted_gives_exactly_that_role_on_that_unit(
    office: Office,
) -> None:
    made = await office.invite(ADMIN, "grid_worker", NEIGHBOUR_GRID)
    invite = made.invite
    assert (invite.role, invite.unit_code, made.unit.name) == (
        Role.GRID_WORKER,
        NEIGHBOUR_GRID,
        "临月里第二网格",
    )
    assert invite.invited_by == await office.person_id(ADMIN)
    assert invite.expires_at == office.clock.now() + timedelta(days=7)
    assert len(invite.code) >= 20 and len(f"inv_{invite.code}") <= 64
    office.clock.advance(days=6)

    accepted = await office.accept_invite(NEWCOMER, invite.code, name="赵新")

    assert not accepted.already_accepted and accepted.person.name == "赵新"
    assert await roles_of(office, NEWCOMER) == [(Role.GRID_WORKER, NEIGHBOUR_GRID)]
    assert [(v.role, v.unit_name) for v in accepted.roles] == [(Role.GRID_WORKER, "临月里第二网格")]
    menus = [m for m in await office.outbox(NEWCOMER) if m.method == "setMyCommands"]
    assert "tasks" in {c["command"] for c in menus[-1].params["commands"]}
    told = await office.texts(ADMIN)
    assert told == ["✅ 赵新 已接受您的邀请：专职网格员 · 临月里第二网格。"]
    async with office.db.reader() as uow:
        stored = await uow.invites.by_code(invite.code)
    assert stored is not None and stored.accepted_by == accepted.person.id


async def test_an_invitation_is_used_once(office: Office) -> None:
    invite = (await office.invite(ADMIN, "grid_leader", NEIGHBOUR_GRID)).invite
    await office.accept_invite(NEWCOMER, invite.code)
    outbox = len(await office.outbox())

    with pytest.raises(InviteTaken):
        await office.accept_invite(INTRUDER, invite.code, name="某人")
    again = await office.accept_invite(NEWCOMER, invite.code)  # the same account: no harm

    assert again.already_accepted
    assert await office.account(INTRUDER) is None
    assert len(await office.outbox()) == outbox
    assert await roles_of(office, NEWCOMER) == [(Role.GRID_LEADER, NEIGHBOUR_GRID)]


async def test_an_expired_invitation_is_refused_and_changes_nothing(office: Office) -> None:
    office.ctx = replace(office.ctx, timing=Timing(invite_valid=timedelta(days=2)))
    invite = (await office.invite(ADMIN, "grid_worker", NEIGHBOUR_GRID)).invite
    assert invite.expires_at == office.clock.now() + timedelta(days=2)
    office.clock.advance(days=2)

    with pytest.raises(InviteExpired):
        await office.accept_invite(NEWCOMER, invite.code)

    assert await office.account(NEWCOMER) is None
    async with office.db.reader() as uow:
        stored = await uow.invites.by_code(invite.code)
    assert stored is not None and not stored.accepted


async def test_a_resident_accepting_keeps_their_home_and_gains_the_role(office: Office) -> None:
    invite = (await office.invite(ADMIN, "party_member", "DL-WX-LY-01")).invite

    await office.accept_invite(RESIDENT, invite.code)

    assert await roles_of(office, RESIDENT) == [
        (Role.RESIDENT, "DL-WX-LY-01-B03"),
        (Role.PARTY_MEMBER, "DL-WX-LY-01"),
    ]


async def test_an_administrator_of_a_unit_invites_onto_it_and_below_only(office: Office) -> None:
    async with office.db.uow() as uow:
        person = await uow.people.by_telegram_id(ZB_STAFF)
        assert person is not None and person.id is not None
        await uow.people.add_role(RoleAssignment(person.id, Role.ADMIN, "DL-WX-ZB"))
        await uow.commit()

    made = await office.invite(ZB_STAFF, "grid_worker", "DL-WX-ZB-01")
    with pytest.raises(PermissionDenied) as above:
        await office.invite(ZB_STAFF, "grid_worker", "DL-WX-LY-01")
    with pytest.raises(PermissionDenied):
        await office.step(ZB_STAFF, "grid_worker", "DL-WX-LY")  # a forged tap

    assert made.unit.code == "DL-WX-ZB-01"
    assert above.value.details["action"] == "invite_staff"
    first = await office.step(ZB_STAFF, "grid_worker")
    assert first.unit is not None and first.unit.code == "DL-WX-ZB" and first.back is None


@pytest.mark.parametrize("who", [LEADER, WORKER, SUPERVISOR, RESIDENT])
async def test_anyone_but_an_administrator_is_refused_before_anything_is_read(
    office: Office, who: int
) -> None:
    actor = await office.actor(who)

    def nothing(*_: object) -> object:
        raise AssertionError("a refused request touched the database")

    office.ctx = replace(office.ctx, reading=nothing, writing=nothing)
    for attempt in (
        invite_roles(StartInvite(actor), office.ctx),
        office.invite(who, "grid_worker", NEIGHBOUR_GRID),
        office.step(who, "grid_worker"),
    ):
        with pytest.raises(PermissionDenied) as refused:
            await attempt
        assert refused.value.details["action"] == "invite_staff"


@pytest.mark.parametrize(
    ("role", "unit", "error", "why"),
    [
        ("grid_worker", "DL-WX", ValidationFailed, "invite_level"),  # no grid worker of a street
        ("admin", NEIGHBOUR_GRID, ValidationFailed, "invite_level"),
        ("grid_guide", NEIGHBOUR_GRID, ValidationFailed, "invite_department"),
        ("department_liaison", "DL-WX", ValidationFailed, "invite_department"),
        ("resident", NEIGHBOUR_GRID, ValidationFailed, "invite_role"),
        ("mayor", NEIGHBOUR_GRID, ValidationFailed, "invite_role"),
        ("grid_worker", "DL-WX-XX-99", UnknownUnit, None),
    ],
)
async def test_bad_roles_and_units_are_refused_and_nothing_is_stored(
    office: Office, role: str, unit: str, error: type[Exception], why: str | None
) -> None:
    with pytest.raises(error) as refused:
        await office.invite(ADMIN, role, unit)

    if why is not None:
        assert refused.value.details["code"] == why  # type: ignore[attr-defined]
    async with office.db.reader() as uow:
        count = await uow.session.scalar(select(func.count(StaffInviteRow.id)))
    assert count == 0


async def test_the_unit_code_may_be_typed_in_lower_case(office: Office) -> None:
    made = await office.invite(ADMIN, "Grid_Worker", "dl-wx-ly-02")
    assert (made.invite.role, made.unit.code) == (Role.GRID_WORKER, NEIGHBOUR_GRID)
