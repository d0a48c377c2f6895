"""/patrol played through the stand: start, report hazards found on the way (one fixed on
the spot, which needs a photo for repairs; one left as a case), end with the counts."""

from __future__ import annotations

from gridbot.domain.case import Case, CaseKind, CaseStatus

from .flows import RESIDENT
from .harness import World
from .wish_play import answer_to, forge

WORKER = 1001  # 张伟, grid worker of 临月里第一网格


async def test_a_patrol_with_a_hazard_fixed_on_the_spot_and_one_left_ends_with_the_counts(
    world: World,
) -> None:
    worker = world.persona(WORKER)
    chat = worker.private_chat()
    await worker.send("/patrol")
    desk = await chat.wait_for(lambda t: "临月里第一网格巡查" in t)
    assert "您当前未在巡查" in desk and await chat.buttons() == ["开始巡查", "上报隐患"]
    tapped = await worker.tap("开始巡查")
    assert (await answer_to(world, tapped["callback_query_id"]))["text"] == "巡查已开始"
    await chat.wait_for(lambda t: "巡查已于" in t)

    await worker.tap("上报隐患")
    await chat.wait_for(lambda t: "请选择隐患类别" in t)
    await worker.tap("设施维修")  # a repair fixed on the spot needs a photo
    await chat.wait_for(lambda t: "描述隐患" in t)
    await worker.send("3号楼单元门闭门器脱落")
    await chat.wait_for(lambda t: "请发送隐患照片" in t)
    await worker.tap("跳过")
    await chat.wait_for(lambda t: "是否已现场整改" in t)
    await worker.tap("现场整改")
    await chat.wait_for(lambda t: "需要照片作为凭证" in t)
    assert await chat.buttons() == ["取消"]
    await worker.photo()
    await chat.wait_for(lambda t: "照片已收到" in t)
    await worker.tap("现场整改")
    fixed = await chat.wait_for(lambda t: "已登记为现场整改" in t)

    await worker.tap("上报隐患")
    await worker.tap("环境卫生")
    await worker.send("5号楼北侧堆放建筑垃圾")
    await worker.tap("跳过")
    await worker.tap("未整改：作为事项办理")
    left = await chat.wait_for(lambda t: "已登记，由您负责处理" in t)
    assert "/tasks" in left

    await worker.tap("结束巡查")
    ended = await chat.wait_for(lambda t: "巡查已结束" in t)
    assert "上报隐患：2 处" in ended and "现场整改：1 处" in ended

    repair, rubbish = await hazards_of(world, WORKER)
    assert repair.number in fixed and rubbish.number in left
    assert repair.kind == rubbish.kind == CaseKind.HAZARD
    assert repair.status == CaseStatus.RESOLVED and repair.on_the_spot and len(repair.photos) == 1
    assert rubbish.status == CaseStatus.IN_PROGRESS and not rubbish.on_the_spot
    assert rubbish.assignee_id == rubbish.reporter_id
    async with world.database.uow() as uow:
        assert rubbish.reporter_id is not None
        [patrol] = await uow.patrols.of_person(rubbish.reporter_id)
    assert patrol.ended_at is not None and (patrol.hazards, patrol.fixed_on_spot) == (2, 1)


async def test_patrol_refusals_are_clear_and_change_nothing(world: World) -> None:
    resident, worker = world.persona(RESIDENT), world.persona(WORKER)
    await resident.send("/patrol")
    await resident.private_chat().wait_for(lambda t: "您没有权限" in t)

    await worker.send("/patrol")
    await worker.private_chat().wait_for(lambda t: "您当前未在巡查" in t)
    await answer_to(world, await forge(world, worker, "pt:end:"))
    await worker.private_chat().wait_for(lambda t: "没有进行中的巡查" in t)
    await worker.tap("开始巡查")
    await answer_to(world, await forge(world, worker, "pt:start:"))  # a double start
    await worker.private_chat().wait_for(lambda t: "您正在巡查中" in t)
    stale = await answer_to(world, await forge(world, worker, "pt:cat:env"))  # not mid-report
    assert stale["text"] == "此按钮已失效。"
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(WORKER)
        assert person is not None and person.id is not None
        patrols = await uow.patrols.of_person(person.id)
    assert len(patrols) == 1 and patrols[0].is_open and patrols[0].hazards == 0


async def hazards_of(world: World, telegram_id: int) -> list[Case]:
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None and person.id is not None
        cases = await uow.cases.by_reporter(person.id, limit=10)
    return sorted(cases, key=lambda c: c.number)
