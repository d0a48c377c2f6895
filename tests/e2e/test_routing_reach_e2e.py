"""Routing through the stand (issue 11): a worker who blocked the bot gets no new case while
another worker of the grid can be reached; when nobody on the grid can be, the case goes to
the community at once and the grid leader is told why."""

from __future__ import annotations

from gridbot.domain.case import Case, CaseLevel
from gridbot.domain.org import Role, RoleAssignment

from .flows import RESIDENT, report
from .harness import World
from .worker_play import GRID_LEADER, OTHER_WORKER, WORKER, actions_of, open_chats, person_id

GRID = "DL-WX-LY-01"
COMMUNITY_STAFF = 1017  # 林小红, community staff of 临月里社区


async def also_works_on_the_grid(world: World, telegram_id: int) -> None:
    pid = await person_id(world, telegram_id)
    async with world.database.uow() as uow:
        await uow.people.add_role(RoleAssignment(pid, Role.GRID_WORKER, GRID))
        await uow.commit()


async def blocked(world: World, telegram_id: int) -> bool:
    async with world.database.reader() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
    assert person is not None
    return person.blocked_bot


async def first_case_refused_by_the_blocked_worker(world: World) -> Case:
    """张伟 blocks the bot; the bot learns it when his next case card is refused."""
    worker = world.persona(WORKER)
    await worker.block()
    case = await report(world, world.persona(RESIDENT), "3号楼门口垃圾堆了三天")
    assert case.assignee_id == await person_id(world, WORKER)
    await world.settle()
    assert await blocked(world, WORKER)
    return case


async def test_a_worker_who_blocked_the_bot_gets_no_new_case_while_another_can(
    world: World,
) -> None:
    await also_works_on_the_grid(world, OTHER_WORKER)
    _, other = await open_chats(world, WORKER, OTHER_WORKER)
    await first_case_refused_by_the_blocked_worker(world)
    resident = world.persona(RESIDENT)

    second = await report(world, resident, "5号楼楼道灯不亮")
    third = await report(world, resident, "小区东门井盖松动")

    # The third would be 张伟's by load and id alike (one open case each): he cannot be reached.
    other_id = await person_id(world, OTHER_WORKER)
    assert (second.assignee_id, third.assignee_id) == (other_id, other_id)
    for case in (second, third):
        await other.private_chat().wait_for(lambda t, n=case.number: n in t)
        assert case.level == CaseLevel.GRID


async def test_nobody_reachable_on_the_grid_sends_the_case_up_and_the_leader_hears_why(
    world: World,
) -> None:
    leader, staff = await open_chats(world, GRID_LEADER, COMMUNITY_STAFF)
    await first_case_refused_by_the_blocked_worker(world)

    case = await report(world, world.persona(RESIDENT), "5号楼楼道灯不亮")

    assert case.level == CaseLevel.COMMUNITY
    assert case.assignee_id == await person_id(world, COMMUNITY_STAFF)
    assert await actions_of(world, case) == ["submit", "grid_unreachable", "assign"]
    told = await leader.private_chat().wait_for(lambda t: case.number in t and "直接上报社区" in t)
    assert "/team" in told and "李桂兰" not in told
    await staff.private_chat().wait_for(lambda t: case.number in t)
