"""/tasks lists my open cases by deadline with the overdue ones marked; /case <no> opens a
card and its timeline for whoever may see it, and says clearly what is wrong otherwise."""

from __future__ import annotations

from datetime import timedelta

from gridbot.domain.case import CaseStatus

from .flows import RESIDENT, report, seed_cases
from .harness import World
from .worker_play import OTHER_WORKER, WORKER, open_chats, person_id


async def test_tasks_lists_open_cases_by_deadline_with_the_overdue_marked(world: World) -> None:
    [worker] = await open_chats(world, WORKER)
    now, mine = world.clock.now(), await person_id(world, WORKER)
    later, overdue = await seed_cases(
        world,
        RESIDENT,
        2,
        assignee_id=mine,
        status=CaseStatus.ASSIGNED,
        respond_by=now + timedelta(hours=3),
        resolve_by=now + timedelta(days=2),
    )
    async with world.database.uow() as uow:
        overdue.respond_by = now - timedelta(hours=1)
        await uow.cases.update(overdue)
        await uow.commit()

    await worker.send("/tasks")
    text = await worker.private_chat().wait_for(lambda t: "我的待办事项" in t)
    assert text.index(overdue.number) < text.index(later.number)
    assert text.count("已超时") == 1
    assert await worker.private_chat().buttons() == [f"⚠️ {overdue.number}", later.number]

    await worker.tap(later.number)
    card = await worker.private_chat().wait_for(lambda t: f"事项 {later.number}" in t)
    assert "第1件事" in card and "待接单" in card
    assert await worker.private_chat().buttons() == ["接单", "转派", "上报", "退回"]


async def test_tasks_says_so_when_nothing_is_waiting(world: World) -> None:
    [worker] = await open_chats(world, OTHER_WORKER)
    await worker.send("/tasks")
    await worker.private_chat().wait_for(lambda t: "目前没有待您处理的事项" in t)


async def test_case_opens_the_card_with_its_timeline(world: World) -> None:
    [worker] = await open_chats(world, WORKER)
    case = await report(world, world.persona(RESIDENT), "楼下路灯不亮", category="环境卫生")
    await worker.private_chat().wait_for(lambda t: case.number in t)

    await worker.send(f"/case {case.number}")
    card = await worker.private_chat().wait_for(lambda t: "办理进度" in t)
    assert case.number in card and "楼下路灯不亮" in card and "已上报" not in card
    assert "接单" in await worker.private_chat().buttons()


async def test_case_answers_a_bad_number_an_unknown_one_and_a_case_one_may_not_see(
    world: World,
) -> None:
    worker, other = await open_chats(world, WORKER, OTHER_WORKER)
    case = await report(world, world.persona(RESIDENT), "电梯异响", category="环境卫生")
    chat = worker.private_chat()

    await worker.send("/case")
    await chat.wait_for(lambda t: "/case 2026-000123" in t)
    await worker.send("/case 路灯")
    await chat.wait_for(lambda t: "“路灯”不是事项编号" in t)
    await worker.send("/case 2026-999999")
    await chat.wait_for(lambda t: "没有编号为 2026-999999 的事项" in t)
    await other.send(f"/case {case.number}")
    refused = await other.private_chat().wait_for(lambda t: "没有权限" in t)
    assert "电梯" not in refused
