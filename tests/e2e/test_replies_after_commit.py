"""A reply that fails after its change was committed reaches the person through the outbox,
and nobody is told "try again" about a change that was made (bot/replies.py)."""

from __future__ import annotations

from gridbot.domain.case import CaseStatus

from .flows import RESIDENT, cases_of, describe, report
from .harness import World
from .worker_play import WORKER, open_chats

TRY_AGAIN = "请稍后再试"


async def refuse_once(world: World, method: str, code: int = 500) -> None:
    await world.post("/sim/fault", {"method": method, "code": code, "times": 1})


async def faults_left(world: World) -> int:
    return len(world.state.faults)


async def test_a_failed_edit_after_submit_is_delivered_later_and_no_one_is_told_to_retry(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await resident.send("/report")
    await chat.wait_for(lambda t: "请选择类别" in t)
    await describe(resident, "环境卫生", "小区东门的垃圾桶坏了")
    await resident.tap("跳过")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.send("跳过")
    await resident.tap("不公开：仅本人和网格团队可见")
    await chat.wait_for(lambda t: "请核对您的反映" in t)

    await refuse_once(world, "editMessageText")
    await resident.tap("提交")
    await chat.wait_for(lambda t: "已登记" in t)
    await chat.wait_for(lambda t: "✅ 已提交" in t)  # the card's edit, through the outbox
    await world.settle()
    assert await faults_left(world) == 0  # the handler's edit was the one refused
    assert TRY_AGAIN not in await chat.transcript()
    assert len(await cases_of(world, RESIDENT)) == 1
    failed = [c for c in world.state.calls if c.method == "editMessageText" and not c.ok]
    assert len(failed) == 1


async def test_a_failed_reply_after_accepting_is_delivered_later_and_no_one_is_told_to_retry(
    world: World,
) -> None:
    (worker,) = await open_chats(world, WORKER)
    case = await report(world, world.persona(RESIDENT), "楼道里堆满了杂物", category="环境卫生")
    await worker.private_chat().wait_for(lambda t: case.number in t)

    await refuse_once(world, "editMessageText", 502)
    await worker.tap("接单")
    await worker.private_chat().wait_for(lambda t: "接单成功" in t)
    await world.settle()
    assert await faults_left(world) == 0
    assert TRY_AGAIN not in await worker.private_chat().transcript()
    [stored] = await cases_of(world, RESIDENT)
    assert stored.status == CaseStatus.IN_PROGRESS


async def test_a_failure_before_any_change_still_says_try_again(world: World) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await refuse_once(world, "sendMessage")
    await resident.send("/report")  # its first answer fails: nothing was changed
    await chat.wait_for(lambda t: TRY_AGAIN in t)
    assert await cases_of(world, RESIDENT) == []
