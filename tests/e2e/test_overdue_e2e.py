"""/overdue and 督办 through the stand with the demo org: residents report, the clock moves
past the response deadlines, the street's supervisor (宋涛) lists the overdue cases longest
first and urges one; 张伟 is pressed once; a second 督办 and one on a case accepted meanwhile
are refused politely; the grid leader sees her grid; a resident and a forged tap are refused."""

from __future__ import annotations

import re
from datetime import timedelta

from gridbot.domain.case import Case, CaseStatus
from gridbot.handlers.common.callbacks import OverdueCallback

from .flows import RESIDENT, report, seed_cases, toast
from .harness import ChatView, World
from .wish_play import answer_to, forge
from .worker_play import (
    GRID_LEADER,
    OTHER_RESIDENT,
    SUPERVISOR,
    WORKER,
    actions_of,
    open_chats,
    person_id,
)

OTHER_GRID_LEADER = 1004  # 刘洋, grid leader of 临月里第二网格
PRESSED = "督办：事项"


async def count(chat: ChatView, text: str) -> int:
    return sum(text in (m.get("text") or "") for m in await chat.bot_messages())


def entry_of(board: str, case: Case) -> str:
    """The lines of one case on the list (from its number to the next blank line)."""
    found = re.search(rf"\d+\. {case.number}.*?(?:\n\n|$)", board, flags=re.DOTALL)
    assert found, board
    return found.group(0)


async def test_a_supervisor_lists_the_overdue_longest_first_and_urges_once(
    world: World,
) -> None:
    worker, leader, supervisor, neighbour = await open_chats(
        world, WORKER, GRID_LEADER, SUPERVISOR, OTHER_GRID_LEADER
    )
    first = await report(world, world.persona(RESIDENT), "垃圾站异味严重", category="环境卫生")
    world.advance(timedelta(minutes=30))
    second = await report(world, world.persona(OTHER_RESIDENT), "楼道灯不亮", category="环境卫生")
    await worker.private_chat().wait_for(lambda t: second.number in t)
    assert first.respond_by is not None and second.respond_by is not None
    world.advance(first.respond_by + timedelta(hours=1, minutes=40) - world.clock.now())

    home = supervisor.private_chat()
    await supervisor.send("/overdue")
    board = await home.wait_for(lambda t: "超时事项" in t)
    assert board.startswith("万新街道 超时事项") and "共 2 件超时" in board
    assert board.index(first.number) < board.index(second.number)  # the longest first
    line = entry_of(board, first)
    assert "环境卫生" in line and "临月里第一网格" in line and "层级：网格" in line
    assert "承办人：张伟" in line and "超时 1 小时 4" in line and "已督办 0 次" in line
    assert "超时 1 小时" in entry_of(board, second)
    assert await home.buttons() == [f"督办 {first.number}", f"督办 {second.number}"]

    tapped = await supervisor.tap(f"督办 {first.number}")
    assert f"已督办事项 {first.number}" in (await toast(world, tapped))["text"]
    pressed = await worker.private_chat().wait_for(lambda t: f"{PRESSED} {first.number}" in t)
    assert "宋涛" in pressed
    board = await home.wait_for(lambda t: "超时事项" in t)
    assert "已督办 1 次" in entry_of(board, first) and "已督办 0 次" in entry_of(board, second)

    again = await supervisor.tap(f"督办 {first.number}")
    refused = (await toast(world, again))["text"]
    assert f"您刚督办过事项 {first.number}" in refused and "2 小时" in refused
    assert "未重复发送" in await home.last_text()

    # 张伟 accepts the second case meanwhile: it is not overdue any more.
    await worker.tap("接单")
    await worker.private_chat().wait_for(lambda t: "接单成功" in t)
    late = await supervisor.tap(f"督办 {second.number}")
    assert "已不再超时" in (await toast(world, late))["text"]

    # The grid's leader sees her grid; a leader of another grid forging a tap is refused.
    await leader.send("/overdue")
    mine = await leader.private_chat().wait_for(lambda t: "超时事项" in t)
    assert mine.startswith("临月里第一网格 超时事项") and first.number in mine
    assert second.number not in mine and "已督办 1 次" in mine
    assert first.id is not None
    for unit, refusal in (("DL-WX-LY-01", "仅限督查人员和网格长查看"), ("DL-WX-LY-02", "没有权限")):
        data = OverdueCallback(action="urge", unit=unit, page=0, case_id=first.id).pack()
        forged = await answer_to(world, await forge(world, neighbour, data))
        assert refusal in forged.get("text", ""), (unit, forged)

    await world.settle()
    assert await count(worker.private_chat(), f"{PRESSED} {first.number}") == 1
    assert await count(worker.private_chat(), f"{PRESSED} {second.number}") == 0
    assert (await actions_of(world, first)).count("urge") == 1
    assert (await actions_of(world, second)).count("urge") == 0


async def test_a_resident_asking_for_overdue_cases_is_told_politely_they_may_not(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    case = await report(world, resident, "垃圾站异味严重", category="环境卫生")
    assert case.respond_by is not None
    world.advance(case.respond_by + timedelta(hours=1) - world.clock.now())

    await resident.send("/overdue")
    answer = await resident.private_chat().wait_for(lambda t: "超时事项" in t)

    assert "仅限督查人员和网格长查看" in answer and case.number not in answer
    assert await resident.private_chat().buttons() == []


async def test_the_list_pages_ten_at_a_time(world: World) -> None:
    [leader] = await open_chats(world, GRID_LEADER)
    worker = await person_id(world, WORKER)
    late = world.clock.now() - timedelta(hours=1)
    cases = await seed_cases(
        world, RESIDENT, 12, status=CaseStatus.ASSIGNED, assignee_id=worker, respond_by=late
    )

    await leader.send("/overdue")
    chat = leader.private_chat()
    first = await chat.wait_for(lambda t: "超时事项" in t)
    assert "共 12 件超时" in first and "第 1 / 2 页" in first
    assert cases[9].number in first and cases[10].number not in first
    assert (await chat.buttons())[-1] == "下一页 »"

    await leader.tap("下一页 »")
    second = await chat.wait_for(lambda t: "第 2 / 2 页" in t)
    assert f"11. {cases[10].number}" in second and cases[0].number not in second
    assert (await chat.buttons())[-1] == "« 上一页"
