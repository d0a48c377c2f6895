"""/care in chat through the stand: the grid leader lists and adds a care person; the worker
records a visit that needs help and raises a case from it; whoever else asks or taps is
refused and told nothing of the person."""

from __future__ import annotations

from .care_play import (
    GRID,
    LEADER,
    NEIGHBOUR_WORKER,
    RESIDENT,
    SUPERVISOR,
    WORKER,
    care_person,
    reminders,
    visits,
)
from .flows import case_by_number, toast
from .harness import World
from .wish_play import answer_to, forge


async def test_the_grid_leader_adds_a_care_person_in_a_short_conversation(world: World) -> None:
    leader = world.persona(LEADER)
    chat = leader.private_chat()
    await leader.send("/care")
    board = await chat.wait_for(lambda t: "临月里第一网格走访对象" in t)
    assert "赵桂英" in board and "孙小明" in board and "张伟" in board
    assert await chat.buttons() == ["赵桂英", "孙小明", "添加走访对象"]
    await leader.tap("添加走访对象")
    await chat.wait_for(lambda t: "请发送对象姓名" in t)
    await leader.sticker()
    await chat.wait_for(lambda t: "请用文字消息发送" in t)
    await leader.send("李" * 51)
    await chat.wait_for(lambda t: "内容共 51 字，最多允许 50 字" in t)
    await leader.send("李秀兰")
    await chat.wait_for(lambda t: "李秀兰属于哪类重点人群" in t)
    await leader.tap("残疾人")
    await chat.wait_for(lambda t: "多久走访李秀兰一次" in t)
    await leader.tap("每 3 天")
    await chat.wait_for(lambda t: "由谁走访李秀兰" in t)
    assert await chat.buttons() == ["张伟", "王芳", "取消"]
    await leader.tap("张伟")
    await chat.wait_for(lambda t: "请发送住址" in t)
    await leader.send("临月里3号楼1单元202")
    await chat.wait_for(lambda t: "请发送联系电话" in t)
    await leader.send("没有电话")
    await chat.wait_for(lambda t: "这不是电话号码" in t)
    await leader.send("139 0000 4001")
    added = await chat.wait_for(lambda t: "已加入走访名单" in t)
    assert "李秀兰" in added and "残疾人" in added and "13900004001" in added
    assert "每 3 天" in added and "下次走访" in added
    assert await chat.buttons() == [
        "记录走访",
        "更换走访人",
        "调整走访周期",
        "移出名单",
        "« 返回名单",
    ]
    person = await care_person(world, "李秀兰")
    assert (person.category, person.phone) == ("disabled", "13900004001")
    assert [i.due_at for i in await reminders(world, person.id)] == [person.next_visit_at]
    await world.settle()
    assert "李秀兰" not in await world.persona(WORKER).private_chat().transcript()


async def test_the_worker_records_a_visit_that_needs_help_and_raises_a_case(world: World) -> None:
    worker = world.persona(WORKER)
    chat = worker.private_chat()
    await worker.send("/care")
    mine = await chat.wait_for(lambda t: "我的走访对象" in t)
    assert "赵桂英" in mine and "添加" not in mine
    await worker.tap("赵桂英")
    card = await chat.wait_for(lambda t: "尚无走访记录" in t)
    assert "独居老人" in card and "13900003001" in card
    assert await chat.buttons() == ["记录走访"]
    await worker.tap("记录走访")
    await chat.wait_for(lambda t: "走访赵桂英" in t and "走访情况如何" in t)
    await worker.send("挺好")  # a button was asked for
    await chat.wait_for(lambda t: "请点上方按钮选择" in t)
    await worker.tap("需要帮助")
    await chat.wait_for(lambda t: "需要什么帮助" in t)
    skipped = await answer_to(world, await forge(world, worker, "cx:skip:"))
    assert "内容为空" in skipped["text"] or "请写几句话" in skipped["text"]  # help needs words
    await worker.send("屋顶漏雨，卧室墙面发霉")
    await chat.wait_for(lambda t: "如有走访照片" in t)
    await worker.photo()
    recorded = await chat.wait_for(lambda t: "已记录对赵桂英的走访" in t)
    assert "需要帮助" in recorded and "下次走访" in recorded
    assert await chat.buttons() == ["上报事项", "提交微心愿", "完成"]
    await worker.tap("上报事项")
    await chat.wait_for(lambda t: "事项属于哪一类" in t)
    await worker.tap("设施维修")
    prompt = await chat.wait_for(lambda t: "请用一条消息说明需要办理的事" in t)
    assert "请勿填写走访对象的姓名、电话或住址" in prompt
    await worker.send("赵桂英家屋顶漏雨")
    await chat.wait_for(lambda t: "请不要写走访对象的姓名和电话" in t)
    await worker.send("5号楼顶层一户屋顶漏雨，卧室墙面发霉，需要维修")
    raised = await chat.wait_for(lambda t: "已登记并派给网格团队" in t)
    number = raised.split("事项 ")[1].split(" ")[0]
    case = await case_by_number(world, number)
    assert case.grid_code == GRID and case.category_code == "repair" and not case.public
    await chat.wait_for(lambda t: number in t and "5号楼顶层" in t)  # the grid worker's card
    granny = await care_person(world, "赵桂英")
    (visit,) = await visits(world, granny.id)
    assert visit.outcome == "needs_help" and visit.photo and visit.case_id == case.id


async def test_nobody_else_sees_or_acts_on_a_care_person(world: World) -> None:
    granny = await care_person(world, "赵桂英")
    resident, neighbour = world.persona(RESIDENT), world.persona(NEIGHBOUR_WORKER)
    supervisor, stranger = world.persona(SUPERVISOR), world.stranger()
    await resident.send("/care")
    await resident.private_chat().wait_for(lambda t: "您没有权限" in t)
    await stranger.send("/care")
    await stranger.private_chat().wait_for(lambda t: "您还没有加入网格" in t)
    await neighbour.send("/care DL-WX-LY-01")
    await neighbour.private_chat().wait_for(lambda t: "您没有权限" in t)
    for who in (resident, neighbour):
        for action in ("open", "visit", "remove", "removed", "worker"):
            tapped = await answer_to(world, await forge(world, who, f"cv:{action}:{granny.id}"))
            assert "没有权限" in tapped["text"]
    await supervisor.send("/care")
    await supervisor.private_chat().wait_for(lambda t: "/care DL-WX-LY-01" in t)
    await supervisor.send("/care DL-WX-LY-01")
    await supervisor.private_chat().wait_for(lambda t: "临月里第一网格走访对象" in t)
    assert "添加走访对象" not in await supervisor.private_chat().buttons()
    refused = await answer_to(world, await forge(world, supervisor, f"cv:visit:{granny.id}"))
    assert "没有权限" in refused["text"]
    stale = await answer_to(world, await forge(world, supervisor, "cx:cat:disabled"))
    assert stale["text"] == "此按钮已失效。"
    group = world.group("临月里3号楼群", members=[world.persona(LEADER), resident])
    await world.persona(LEADER).send("/care", chat=group)
    await world.settle()
    assert not await group.bot_messages()
    for chat in (resident.private_chat(), neighbour.private_chat(), group):
        assert "赵桂英" not in await chat.transcript()
    assert await visits(world, granny.id) == []
    assert (await care_person(world, "赵桂英")).removed_at is None


async def test_the_leader_changes_the_worker_and_removes_a_person(world: World) -> None:
    leader = world.persona(LEADER)
    chat = leader.private_chat()
    await leader.send("/care")
    await leader.tap("孙小明")
    await chat.wait_for(lambda t: "留守儿童" in t)
    await leader.tap("更换走访人")
    await chat.wait_for(lambda t: "由谁走访孙小明" in t)
    tapped = await leader.tap("王芳")
    assert (await toast(world, tapped))["text"] == "走访人已更换。"
    card = await chat.wait_for(lambda t: "走访人已更换" in t)
    assert "走访人：王芳" in card
    await chat.wait_for(lambda t: "您现在负责走访孙小明" in t)  # she is the new worker
    await leader.tap("移出名单")
    await chat.wait_for(lambda t: "确认将孙小明移出走访名单吗" in t)
    await leader.tap("确认移出")
    await chat.wait_for(lambda t: "孙小明已移出走访名单" in t)
    child = await care_person_removed(world, "孙小明")
    assert await reminders(world, child) == []
    again = await answer_to(world, await forge(world, leader, f"cv:open:{child}"))
    assert "没有找到" in again["text"]


async def care_person_removed(world: World, name: str) -> int:
    async with world.database.reader() as uow:
        assert [p for p in await uow.care.of_grid(GRID) if p.name == name] == []
        for care_id in range(1, 10):
            person = await uow.care.get_person(care_id)
            if person is not None and person.name == name:
                assert person.removed_at is not None and person.id is not None
                return person.id
    raise AssertionError(f"no {name}")
