"""/wish played through the stand: a micro-wish reaches the grid's branch secretary."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from gridbot.domain.case import CaseKind, CaseStatus

from .flows import ENGLISH_RESIDENT, RESIDENT, cases_of
from .harness import World

SECRETARY = 1002  # 王芳, grid leader and branch secretary of 临月里第一网格
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_a_wish_with_a_photo_reaches_the_branch_secretary(world: World) -> None:
    resident, secretary = world.persona(RESIDENT), world.persona(SECRETARY)
    await secretary.send("/start")
    chat = resident.private_chat()

    await resident.send("/wish")
    await chat.wait_for(lambda t: "您有什么心愿" in t)
    await resident.send("想请人帮忙把旧衣柜搬下楼")
    await chat.wait_for(lambda t: "照片" in t)
    await resident.photo()
    asked = await chat.wait_for(lambda t: "您希望在哪天之前完成" in t)
    ahead = world.clock.now().astimezone(SHANGHAI).date() + timedelta(days=30)
    assert f"例如 {ahead.isoformat()}" in asked
    await resident.tap("一周内")
    await chat.wait_for(lambda t: "微心愿" in t and "邻居" in t)
    await resident.tap("不公开：仅本人和网格团队可见")
    summary = await chat.wait_for(lambda t: "请核对您的微心愿" in t)
    assert "1 张照片" in summary and "期望完成日期" in summary
    await resident.tap("提交")
    answer = await chat.wait_for(lambda t: "已登记" in t)

    [wish] = await cases_of(world, RESIDENT)
    assert wish.number in answer and "党支部书记审核" in answer
    assert wish.kind == CaseKind.WISH and wish.status == CaseStatus.SUBMITTED
    assert wish.wanted_by is not None and len(wish.photos) == 1
    today = date.today()
    assert wish.wanted_by.astimezone(SHANGHAI).date() in {
        today + timedelta(days=d) for d in (6, 7, 8)
    }
    async with world.database.uow() as uow:
        assert wish.assignee_id is not None
        assignee = await uow.people.get(wish.assignee_id)
    assert assignee is not None and assignee.telegram_id == SECRETARY
    await secretary.private_chat().wait_for(lambda t: wish.number in t)


async def test_an_english_wish_with_a_typed_date_and_a_wrong_one_first(world: World) -> None:
    resident = world.persona(ENGLISH_RESIDENT)
    chat = resident.private_chat()
    wanted = date.today() + timedelta(days=20)

    await resident.send("/wish")
    await chat.wait_for(lambda t: "What do you wish for?" in t)
    await resident.send("Someone to walk my dog while I am in hospital")
    await resident.tap("Skip")
    asked = await chat.wait_for(lambda t: "By when would you like it done?" in t)
    ahead = (world.clock.now().astimezone(SHANGHAI).date() + timedelta(days=30)).isoformat()
    assert f"for example {ahead}." in asked
    await resident.send("2020-13-45")
    refused = f"Please type a date from today up to a year ahead, for example {ahead},"
    await chat.wait_for(lambda t: refused in t)
    await resident.send("1999-01-01")
    await chat.wait_for(lambda t: refused in t)
    await resident.send(wanted.isoformat())
    await resident.tap("Neighbours may see its progress in the group")
    summary = await chat.wait_for(lambda t: "Please check your micro-wish" in t)
    assert f"Wanted by: {wanted.isoformat()}" in summary and "0 photos" in summary
    await resident.tap("Submit")
    answer = await chat.wait_for(lambda t: "registered as" in t)

    [wish] = await cases_of(world, ENGLISH_RESIDENT)
    assert wish.number in answer and "branch secretary" in answer
    assert wish.public and wish.grid_code == "DL-WX-ZB-01"
    assert wish.wanted_by is not None
    assert wish.wanted_by.astimezone(SHANGHAI).date() == wanted
