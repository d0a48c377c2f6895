"""/my, a case's timeline, adding information, withdrawing, and "same problem here"."""

from __future__ import annotations

from dataclasses import replace

from gridbot.domain.case import CaseStatus

from .flows import (
    ENGLISH_RESIDENT,
    RESIDENT,
    bind,
    case_by_number,
    report,
    seed_cases,
    toast,
)
from .harness import World


async def test_my_lists_the_case_and_a_tap_shows_its_timeline(world: World) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    case = await report(world, resident, "小区东门的路灯坏了")

    await resident.send("/my")
    listing = await chat.wait_for(lambda t: "我的诉求和心愿" in t)
    assert case.number in listing and "环境卫生" in listing and "已派给网格团队" in listing
    await resident.tap(case.number)
    timeline = await chat.wait_for(lambda t: "提交反映" in t)

    assert "提交反映" in timeline and "派给办理人" in timeline
    assert "小区东门的路灯坏了" in timeline
    assert "13800001001" not in timeline  # the worker's phone is never shown
    assert await chat.buttons() == ["补充", "撤回", "我的事项"]


async def test_an_english_resident_sees_english_statuses(world: World) -> None:
    resident = world.persona(ENGLISH_RESIDENT)
    [case] = await seed_cases(world, ENGLISH_RESIDENT, 1, grid_code="DL-WX-ZB-01")

    await resident.send("/my")
    listing = await resident.private_chat().wait_for(lambda t: "My reports and wishes" in t)

    assert case.number in listing and "Sanitation" in listing and "Submitted" in listing
    await resident.tap(case.number)
    timeline = await resident.private_chat().wait_for(lambda t: "Timeline" in t)
    assert "Reported" in timeline


async def test_a_deep_link_opens_the_same_view(world: World) -> None:
    resident = world.persona(RESIDENT)
    [case] = await seed_cases(world, RESIDENT, 1)

    await resident.send(f"/start c_{case.number}")

    timeline = await resident.private_chat().wait_for(lambda t: "提交反映" in t)
    assert case.number in timeline and "第1件事" in timeline


async def test_withdrawing_asks_first_and_then_cancels_the_case(world: World) -> None:
    resident, worker = world.persona(RESIDENT), world.persona(1001)
    await worker.send("/start")
    case = await report(world, resident, "楼道堆放杂物")
    chat = resident.private_chat()
    await resident.send("/my")
    await resident.tap(case.number)

    await resident.tap("撤回")
    await chat.wait_for(lambda t: "确定撤回" in t)
    await resident.tap("不撤回")
    await chat.wait_for(lambda t: "提交反映" in t)
    assert (await case_by_number(world, case.number)).status == CaseStatus.ASSIGNED
    await resident.tap("撤回")
    await resident.tap("确认撤回")
    await chat.wait_for(lambda t: "已撤回" in t)

    assert (await case_by_number(world, case.number)).status == CaseStatus.CANCELLED
    await worker.private_chat().wait_for(lambda t: case.number in t and "撤回" in t)


async def test_adding_information_reaches_the_worker(world: World) -> None:
    resident, worker = world.persona(RESIDENT), world.persona(1001)
    await worker.send("/start")
    case = await report(world, resident, "垃圾没人收")
    chat = resident.private_chat()
    await resident.send("/my")
    await resident.tap(case.number)

    await resident.tap("补充")
    await chat.wait_for(lambda t: "请发送要补充的内容" in t)
    await resident.send("今天早上又多了两袋")
    await chat.wait_for(lambda t: "已补充到事项" in t)

    await worker.private_chat().wait_for(lambda t: "今天早上又多了两袋" in t)
    async with world.database.uow() as uow:
        assert case.id is not None
        events = await uow.cases.events(case.id)
    assert [e.note for e in events if e.action == "add_info"] == ["今天早上又多了两袋"]


async def test_more_than_eight_cases_are_paged(world: World) -> None:
    resident = world.persona(RESIDENT)
    cases = await seed_cases(world, RESIDENT, 10)
    chat = resident.private_chat()

    await resident.send("/my")
    first = await chat.wait_for(lambda t: "第 1 / 2 页" in t)
    buttons = await chat.buttons()
    assert len(buttons) == 9 and buttons[-1] == "较早 »"
    assert cases[-1].number in first and cases[0].number not in first  # newest first

    await resident.tap("较早 »")
    second = await chat.wait_for(lambda t: "第 2 / 2 页" in t)
    assert cases[0].number in second and cases[1].number in second
    assert await chat.buttons() == [cases[1].number, cases[0].number, "« 较新"]


async def test_same_problem_here_counts_each_neighbour_once_without_posting(world: World) -> None:
    reporter, neighbour = world.persona(RESIDENT), world.persona(2002)
    group = world.group("临月里3号楼群", members=[reporter, neighbour])
    await bind(world, group, "DL-WX-LY-01-B03")
    await reporter.send("/report", chat=group)
    await group.wait_for(lambda t: "私聊" in t)
    start = f"/start r_n{-group.chat_id}"
    case = await report(world, reporter, "单元门禁坏了", public=True, start=start)
    await group.wait_for(lambda t: case.number in t)
    posted = len(await group.bot_messages())

    first = await toast(world, await neighbour.tap("同样问题", chat=group))
    again = await toast(world, await neighbour.tap("同样问题", chat=group))
    own = await toast(world, await reporter.tap("同样问题", chat=group))

    assert first["text"] == "已记录，共 1 户"
    assert again["text"] == "您已登记过，共 1 户"
    assert own["text"] == "您已登记过，共 1 户"
    assert len(await group.bot_messages()) == posted  # toasts only, nothing posted
    assert (await case_by_number(world, case.number)).affected_count == 1


async def test_same_problem_on_a_withdrawn_case_gets_a_toast_and_counts_nothing(
    world: World,
) -> None:
    reporter, neighbour = world.persona(RESIDENT), world.persona(2002)
    group = world.group("临月里3号楼群", members=[reporter, neighbour])
    await bind(world, group, "DL-WX-LY-01-B03")
    start = f"/start r_n{-group.chat_id}"
    case = await report(world, reporter, "单元门禁坏了", public=True, start=start)
    await group.wait_for(lambda t: case.number in t)
    async with world.database.uow() as uow:
        assert case.id is not None
        await uow.cases.update(replace(case, status=CaseStatus.CLOSED))
        await uow.commit()
    posted = len(await group.bot_messages())

    answer = await toast(world, await neighbour.tap("同样问题", chat=group))

    assert answer["text"] == "该事项已不再办理中，不再登记。"
    assert len(await group.bot_messages()) == posted
    assert (await case_by_number(world, case.number)).affected_count == 0
