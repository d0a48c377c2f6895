"""/team: the grid's leader and branch secretary read its staff, each with their roles, duty,
open load (overdue among it) and whether the bot reaches them; residents are counted, never
listed; phone numbers only for the leader. Anyone else is refused before anything is read."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gridbot.domain.errors import NotBound, PermissionDenied, UnknownUnit
from gridbot.domain.org import Role
from gridbot.domain.staffing import BotReach, Load
from gridbot.services.membership import RefreshMenu, refresh_menu
from gridbot.services.team import TeamBoard, TeamMember
from gridbot.services.workflow import ResolveCase, resolve_case

from .conftest import (
    BUILDING_LEADER,
    GRID,
    LEADER,
    NEIGHBOUR_GRID,
    NEIGHBOUR_LEADER,
    NEIGHBOUR_WORKER,
    PARTY_MEMBER,
    POLICE_GUIDE,
    RESIDENT,
    SECRETARY,
    SUPERVISOR,
    WORKER,
    ZB_LEADER,
    Office,
)

R = Role


def member(board: TeamBoard, name: str) -> TeamMember:
    return next(m for m in board.members if m.name == name)


async def test_the_leader_sees_the_grid_team_with_roles_duty_phones_and_residents_counted(
    office: Office,
) -> None:
    board = await office.team(LEADER)

    assert board.grid is not None and board.grid.code == GRID
    names = [m.name for m in board.members]
    assert names == ["王芳", "张伟", "孙丽", "徐强", "郭志刚", "马红", "胡婷"]
    assert member(board, "王芳").roles == (R.GRID_LEADER, R.BRANCH_SECRETARY)
    assert member(board, "徐强").roles == (R.GRID_GUIDE,)
    building_leader = member(board, "郭志刚")
    assert building_leader.roles == (R.PARTY_MEMBER, R.BUILDING_LEADER)
    assert [b.name for b in building_leader.buildings] == ["临月里3号楼"]
    assert not building_leader.handles_cases and member(board, "张伟").handles_cases
    assert all(m.on_duty for m in board.members)
    assert board.phones and member(board, "张伟").phone == "13800001001"
    assert member(board, "马红").phone is None  # the org file gives her none
    # 李桂兰 and 王建华 in their buildings, 郭志刚 in his: counted, never listed.
    assert board.residents == 3
    assert "李桂兰" not in names and "王建华" not in names
    assert (board.more, board.grids, board.ask_code) == (0, (), False)


async def test_open_load_counts_each_handlers_open_cases_and_the_overdue_among_them(
    office: Office,
) -> None:
    accepted = await office.report()
    waiting = await office.report(text="5号楼路灯坏了一个星期")
    done = await office.report(text="楼道里堆满了杂物")
    police = await office.report("security", text="夜里有人撬自行车锁")
    await office.accept(WORKER, accepted)
    await office.accept(WORKER, done)
    assert done.id is not None
    actor = await office.actor(WORKER)
    await resolve_case(ResolveCase(actor, done.id, "已清理"), office.ctx)
    assert police.assignee_id == await office.person_id(POLICE_GUIDE)
    office.clock.advance(hours=3)  # past the 2 hours to accept the waiting one

    board = await office.team(LEADER)

    assert member(board, "张伟").load == Load(open=2, overdue=1)
    assert member(board, "徐强").load == Load(open=1, overdue=1)  # 1 hour to accept
    assert member(board, "王芳").load == Load()
    assert waiting.assignee_id == await office.person_id(WORKER)


async def test_whether_the_bot_reaches_each_one_is_what_it_knows_and_no_more(
    office: Office,
) -> None:
    await office.report()  # the worker is sent its card; nothing is delivered yet
    before = await office.team(LEADER)
    assert {m.reach for m in before.members} == {BotReach.UNKNOWN}

    await office.deliver_all(WORKER)
    await office.deliver_all(PARTY_MEMBER)  # nothing was queued for her: still unknown
    await office.block(BUILDING_LEADER)
    board = await office.team(LEADER)

    assert member(board, "张伟").reach == BotReach.REACHED
    assert member(board, "马红").reach == BotReach.UNKNOWN
    assert member(board, "郭志刚").reach == BotReach.BLOCKED
    # 许文 has no Telegram account yet (her invite is pending), and is off duty.
    zb = await office.team(ZB_LEADER)
    xu = member(zb, "许文")
    assert (xu.reach, xu.on_duty) == (BotReach.NOT_JOINED, False)


async def test_a_menu_delivered_is_no_proof_that_the_bot_was_started(office: Office) -> None:
    await refresh_menu(RefreshMenu(await office.actor(WORKER)), office.ctx)
    await office.deliver_all(WORKER)  # only the setMyCommands call was queued

    board = await office.team(LEADER)

    assert member(board, "张伟").reach == BotReach.UNKNOWN


async def test_a_leader_of_several_grids_picks_one_then_sees_it(office: Office) -> None:
    picker = await office.team(SECRETARY)  # branch secretary of the whole community

    assert [g.code for g in picker.grids] == [GRID, NEIGHBOUR_GRID] and not picker.members
    board = await office.team(SECRETARY, NEIGHBOUR_GRID)
    assert board.grid is not None and board.grid.code == NEIGHBOUR_GRID
    assert [m.name for m in board.members] == ["刘洋", "李娜", "徐强"]
    assert board.phones and board.residents == 1


async def test_a_supervisor_names_the_grid_and_sees_no_phone_numbers(office: Office) -> None:
    asked = await office.team(SUPERVISOR)
    assert asked.ask_code and not asked.members

    board = await office.team(SUPERVISOR, "dl-wx-ly-01")  # typed in lower case

    assert board.grid is not None and board.grid.code == GRID
    assert not board.phones and all(m.phone is None for m in board.members)


@pytest.mark.parametrize(
    ("who", "grid"),
    [
        (NEIGHBOUR_LEADER, GRID),  # the leader of another grid
        (NEIGHBOUR_WORKER, None),  # a worker
        (WORKER, GRID),
        (RESIDENT, None),
        (RESIDENT, GRID),
        (ZB_LEADER, GRID),
    ],
)
async def test_anyone_else_is_refused_before_anything_is_read(
    office: Office, who: int, grid: str | None
) -> None:
    def nothing(*_: object) -> object:
        raise AssertionError("a refused request read the database")

    office.ctx = replace(office.ctx, reading=nothing, writing=nothing)

    with pytest.raises(PermissionDenied) as refused:
        await office.team(who, grid)

    assert refused.value.details["action"] == "view_team"


async def test_a_stranger_and_codes_that_are_no_grid_are_refused(office: Office) -> None:
    with pytest.raises(NotBound):
        await office.team(None)
    with pytest.raises(UnknownUnit) as unknown:
        await office.team(LEADER, "DL-WX-XX-99")
    assert unknown.value.details == {"unit": "DL-WX-XX-99"}
    with pytest.raises(UnknownUnit) as building:
        await office.team(LEADER, "DL-WX-LY-01-B03")
    assert building.value.details["level"] == "building"
