"""/report played through the stand: private chat, bound groups, photos, albums, locations."""

from __future__ import annotations

from gridbot.domain.case import CaseStatus

from .flows import ENGLISH_RESIDENT, RESIDENT, bind, cases_of, describe
from .harness import World


async def test_a_resident_reports_with_a_photo_and_a_location_and_gets_the_number(
    world: World,
) -> None:
    resident, worker = world.persona(RESIDENT), world.persona(1001)
    chat = resident.private_chat()
    await worker.send("/start")  # the worker's private chat with the bot is open
    await world.settle()

    await resident.send("/report")
    text = await chat.wait_for(lambda t: "请选择类别" in t)
    assert "您所在的网格：临月里第一网格" in text
    assert "环境卫生" in await chat.buttons()
    await describe(resident, "环境卫生", "3号楼东侧垃圾桶满了，三天没人清运")
    await resident.photo()
    await chat.wait_for(lambda t: "已收到 1 张照片" in t)
    await resident.tap("完成")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    assert await chat.reply_keyboard()  # the "send my location" button
    await resident.location(39.1201, 117.3102)
    await chat.wait_for(lambda t: "是否允许邻居" in t)
    await resident.tap("不公开：仅本人和网格团队可见")
    summary = await chat.wait_for(lambda t: "请核对您的反映" in t)
    assert "1 张照片" in summary and "39.12010, 117.31020" in summary
    await resident.tap("提交")
    await chat.wait_for(lambda t: "✅ 已提交" in t)  # the summary card, edited
    answer = await chat.wait_for(lambda t: "已登记" in t)

    [case] = await cases_of(world, RESIDENT)
    assert case.number in answer
    await world.settle()
    numbered = [m for m in await chat.bot_messages() if case.number in (m.get("text") or "")]
    assert len(numbered) == 1  # one confirmation, not one per layer
    assert case.category_code == "env" and case.grid_code == "DL-WX-LY-01"
    assert len(case.photos) == 1 and case.location is not None
    assert case.location.latitude == 39.1201 and not case.public
    assert case.status == CaseStatus.ASSIGNED
    card = await worker.private_chat().wait_for(lambda t: case.number in t)
    assert "垃圾桶" in card
    await world.settle()
    assert "[location 39.1201, 117.3102]" in await worker.private_chat().transcript()  # map pin


async def test_an_english_resident_reports_with_a_typed_address(world: World) -> None:
    resident = world.persona(ENGLISH_RESIDENT)
    chat = resident.private_chat()

    await resident.send("/report")
    await chat.wait_for(lambda t: "Choose a category" in t)
    assert "Street order" in await chat.buttons()
    await describe(resident, "Street order", "A car has blocked the fire lane for two days")
    await resident.tap("Skip")
    await chat.wait_for(lambda t: "Where is it?" in t)
    await resident.send("Lane 4, next to the kindergarten")
    await chat.wait_for(lambda t: "Address noted" in t)
    await resident.tap("Neighbours may see its progress in the group")
    summary = await chat.wait_for(lambda t: "Please check your report" in t)
    assert "0 photos" in summary and "Lane 4" in summary
    await resident.tap("Submit")
    answer = await chat.wait_for(lambda t: "registered as" in t)

    [case] = await cases_of(world, ENGLISH_RESIDENT)
    assert case.number in answer and case.public and case.photos == []
    assert case.location is not None and case.location.address == "Lane 4, next to the kindergarten"
    assert case.grid_code == "DL-WX-ZB-01"


async def test_an_album_is_taken_whole_with_one_answer(world: World) -> None:
    resident = world.persona(RESIDENT)
    chat = resident.private_chat()
    await resident.send("/report")
    await chat.wait_for(lambda t: "请选择类别" in t)
    await describe(resident, "设施维修", "楼道灯坏了")

    for _ in range(3):
        body = resident._body(None, media_group_id="album-1")
        await resident._post("/sim/photo", body)
    await world.settle()

    answers = [m for m in await chat.bot_messages() if "张照片" in (m.get("text") or "")]
    assert len(answers) == 1
    await resident.tap("完成")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.send("跳过")  # the reply keyboard's Skip
    await resident.tap("邻居可在群里看到进展")
    summary = await chat.wait_for(lambda t: "请核对您的反映" in t)
    assert "3 张照片" in summary and "未提供位置" in summary


async def test_a_report_started_in_a_bound_group_continues_in_private_and_is_posted_there(
    world: World,
) -> None:
    resident = world.persona(RESIDENT)
    group = world.group("临月里3号楼群", members=[resident])
    await bind(world, group, "DL-WX-LY-01-B03")

    await resident.send("/report", chat=group)
    answer = await group.wait_for(lambda t: "私聊" in t)
    [message] = await group.bot_messages()
    [[button]] = message["reply_markup"]["inline_keyboard"]
    payload = button["url"].split("?start=")[1]
    assert payload == f"r_n{-group.chat_id}"
    assert "李桂兰" not in answer

    chat = resident.private_chat()
    await resident.send(f"/start {payload}", chat=chat)
    text = await chat.wait_for(lambda t: "请选择类别" in t)
    assert "临月里第一网格" in text
    await describe(resident, "安全隐患", "电动车在楼道充电，电话13900002001")
    await resident.tap("跳过")
    await chat.wait_for(lambda t: "问题在哪里" in t)
    await resident.send("跳过")
    await resident.tap("邻居可在群里看到进展")
    await resident.tap("提交")
    await chat.wait_for(lambda t: "已登记" in t)

    [case] = await cases_of(world, RESIDENT)
    assert case.source_chat_id == group.chat_id and case.public
    post = await group.wait_for(lambda t: case.number in t)
    assert "李桂兰" not in post and "13900002001" not in post
    assert await group.buttons() == ["同样问题", "私聊查看进展"]


async def test_a_mention_in_a_bound_group_gets_the_deep_link_too(world: World) -> None:
    resident = world.persona(2002)
    group = world.group("临月里5号楼群", members=[resident])
    await bind(world, group, "DL-WX-LY-01-B05")

    await world.post("/sim/message", resident._body(group, text="楼下路灯不亮了", mention=True))

    await group.wait_for(lambda t: "私聊" in t)
    assert await group.buttons() == ["私聊继续"]


async def test_an_unbound_group_is_told_politely_and_nothing_is_stored(world: World) -> None:
    resident = world.persona(RESIDENT)
    group = world.group("某某群", members=[resident])

    await resident.send("/report", chat=group)

    text = await group.wait_for(lambda t: "尚未绑定" in t)
    assert await group.buttons() == []
    assert "李桂兰" not in text
    assert await cases_of(world, RESIDENT) == []
