"""逐级呼叫 on the bot's own schedule: a case nobody accepts reminds its worker, then calls up
the grid leader, the community and the street, each once, as the (movable) clock passes."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from .flows import RESIDENT, report
from .harness import ChatView, World
from .worker_play import (
    COMMUNITY_STAFF,
    GRID_LEADER,
    STREET_DISPATCHER,
    WORKER,
    actions_of,
    open_chats,
)

TZ = ZoneInfo("Asia/Shanghai")
STEP = timedelta(minutes=31)  # call-ups are 30 minutes apart


def daytime_after(at: datetime) -> datetime:
    """10:00 local after ``at``: reminders outside quiet hours whatever time the test runs."""
    local = at.astimezone(TZ)
    ten = datetime.combine(local.date(), time(10), TZ)
    return ten if ten > local else ten + timedelta(days=1)


async def count(chat: ChatView, text: str) -> int:
    return sum(text in (m.get("text") or "") for m in await chat.bot_messages())


async def test_an_unaccepted_case_reminds_the_worker_then_calls_up_the_chain_once_each(
    world: World,
) -> None:
    worker, leader, community, street = await open_chats(
        world, WORKER, GRID_LEADER, COMMUNITY_STAFF, STREET_DISPATCHER
    )
    case = await report(world, world.persona(RESIDENT), "垃圾桶满了没人清运", category="环境卫生")
    await worker.private_chat().wait_for(lambda t: case.number in t)
    assert case.respond_by is not None

    world.advance(daytime_after(case.respond_by) - world.clock.now())
    await worker.private_chat().wait_for(lambda t: f"提醒：事项 {case.number}" in t, timeout=10)
    overdue = f"超时：事项 {case.number} 尚未接单"
    for chat in (leader, community, street):
        world.advance(STEP)
        called = await chat.private_chat().wait_for(lambda t: overdue in t, timeout=10)
        assert "张伟" in called and f"/case {case.number}" in called
    world.advance(STEP * 3)  # the chain is done: nothing more comes
    await world.settle()

    assert await count(worker.private_chat(), f"提醒：事项 {case.number}") == 1
    for chat in (leader, community, street):
        assert await count(chat.private_chat(), overdue) == 1
    actions = await actions_of(world, case)
    assert actions.count("remind") == 1 and actions.count("call_up") == 3


async def test_a_case_accepted_in_time_calls_nobody_up(world: World) -> None:
    worker, leader = await open_chats(world, WORKER, GRID_LEADER)
    case = await report(world, world.persona(RESIDENT), "路边井盖松动", category="环境卫生")
    await worker.private_chat().wait_for(lambda t: case.number in t)
    await worker.tap("接单")
    await worker.private_chat().wait_for(lambda t: "接单成功" in t)
    assert case.respond_by is not None

    world.advance(daytime_after(case.respond_by) - world.clock.now())
    world.advance(STEP)
    await world.settle(quiet=1.5)  # more than a scheduler tick

    assert await count(worker.private_chat(), "提醒") == 0
    assert await count(leader.private_chat(), "超时") == 0
    assert "remind" not in await actions_of(world, case)
