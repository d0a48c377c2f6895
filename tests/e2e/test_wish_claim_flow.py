"""A micro-wish after it is posted, played through the stand: the branch secretary's 通过,
a party member's 认领 (a second helper is told it is taken), 完成 with a note, the
resident's 确认, and the points; 驳回 with a reason; /wishes."""

from __future__ import annotations

from gridbot.domain.case import CaseStatus
from gridbot.domain.wishes import WISH_POINTS

from .flows import RESIDENT, case_by_number
from .harness import World
from .wish_play import (
    BUILDING_LEADER,
    PARTY_MEMBER,
    SECRETARY,
    SPECIALIST,
    answer_to,
    forge,
    points,
    post_wish,
)


async def test_a_wish_is_approved_claimed_fulfilled_confirmed_and_the_claimant_earns_points(
    world: World,
) -> None:
    resident, secretary = world.persona(RESIDENT), world.persona(SECRETARY)
    first, second = world.persona(PARTY_MEMBER), world.persona(BUILDING_LEADER)
    for person in (secretary, first, second, world.persona(SPECIALIST)):
        await person.send("/start")
    wish = await post_wish(world, resident, "想请人帮忙把旧衣柜搬下楼")

    await secretary.private_chat().wait_for(lambda t: f"新微心愿 {wish.number}" in t)
    tapped = await secretary.tap("通过")
    assert (await answer_to(world, tapped["callback_query_id"]))["text"] == "已通过"
    card = await secretary.private_chat().wait_for(lambda t: "已通过审核" in t)
    assert wish.number in card and await secretary.private_chat().buttons() == []
    await resident.private_chat().wait_for(lambda t: f"微心愿 {wish.number} 已审核通过" in t)
    for helper in (first, second, world.persona(SPECIALIST)):
        offer = await helper.private_chat().wait_for(
            lambda t: f"微心愿 {wish.number} 等待认领" in t
        )
        assert "李桂兰" not in offer  # the offer does not name the resident

    tapped = await first.tap("认领")
    assert "认领成功" in (await answer_to(world, tapped["callback_query_id"]))["text"]
    claimed = await first.private_chat().wait_for(lambda t: "您已认领微心愿" in t)
    assert "心愿人：李桂兰" in claimed and "13900002001" in claimed
    await resident.private_chat().wait_for(lambda t: f"微心愿 {wish.number} 已被认领" in t)

    await second.tap("认领")
    refusal = await second.private_chat().wait_for(lambda t: "已被其他人认领" in t)
    assert "未做任何更改" in refusal
    assert (await case_by_number(world, wish.number)).claimant_id == await person_id(
        world, first.user_id
    )

    await first.tap("完成")
    await first.private_chat().wait_for(lambda t: "是如何完成的" in t)
    await first.send("已帮忙把衣柜搬到楼下回收点")
    await first.private_chat().wait_for(lambda t: "已标记为完成" in t)
    update = await resident.private_chat().wait_for(lambda t: "已标记为完成" in t)
    assert "已帮忙把衣柜搬到楼下回收点" in update
    assert await resident.private_chat().buttons() == ["满意", "基本满意", "不满意"]

    tapped = await resident.tap("满意")
    assert (await answer_to(world, tapped["callback_query_id"]))["text"] == "感谢您的评价！"
    await resident.private_chat().wait_for(lambda t: "感谢您对事项" in t)
    thanks = await first.private_chat().wait_for(lambda t: "居民已确认微心愿" in t)
    assert f"您获得 {WISH_POINTS} 积分，当前累计 {WISH_POINTS} 积分" in thanks

    done = await case_by_number(world, wish.number)
    assert done.status == CaseStatus.CONFIRMED and done.closed_at is not None
    assert await points(world, PARTY_MEMBER) == WISH_POINTS
    assert await points(world, BUILDING_LEADER) == 0
    async with world.database.uow() as uow:
        assert done.id is not None
        actions = [e.action for e in await uow.cases.events(done.id)]
    assert actions[-4:] == ["approve", "claim", "fulfil", "rate_satisfied"]


async def test_a_rejected_wish_needs_a_reason_which_the_resident_is_told(world: World) -> None:
    resident, secretary = world.persona(RESIDENT), world.persona(SECRETARY)
    await secretary.send("/start")
    wish = await post_wish(world, resident, "想要一台新电视")
    chat = secretary.private_chat()
    await chat.wait_for(lambda t: f"新微心愿 {wish.number}" in t)

    await secretary.tap("驳回")
    await chat.wait_for(lambda t: "为什么驳回微心愿" in t)
    await secretary.sticker()
    await chat.wait_for(lambda t: "为什么驳回微心愿" in t)
    await secretary.send("   ")
    await chat.wait_for(lambda t: "内容为空" in t or "请写几个字" in t)
    assert (await case_by_number(world, wish.number)).status == CaseStatus.SUBMITTED
    await secretary.send("微心愿应是力所能及的小事，购买家电不在此列")
    await chat.wait_for(lambda t: "已驳回" in t)

    told = await resident.private_chat().wait_for(lambda t: "未被受理" in t or "购买家电" in t)
    assert "购买家电不在此列" in told
    rejected = await case_by_number(world, wish.number)
    assert rejected.status == CaseStatus.REJECTED
    assert await chat.buttons() == []  # the card shows the rejection, its buttons gone
    stale = await forge(world, secretary, f"c:approve:{rejected.id}")  # an old copy's button
    await answer_to(world, stale)
    await chat.wait_for(lambda t: "当前环节不能进行此操作" in t)
    assert (await case_by_number(world, wish.number)).status == CaseStatus.REJECTED


async def test_wishes_shows_pending_approvals_with_buttons_and_open_wishes(world: World) -> None:
    resident, secretary = world.persona(RESIDENT), world.persona(SECRETARY)
    helper = world.persona(PARTY_MEMBER)
    await helper.send("/start")
    pending = await post_wish(world, resident, "希望有人教我用智能手机")
    open_wish = await post_wish(world, world.persona(2002), "想请人陪老人去医院复查")
    chat = secretary.private_chat()
    await secretary.send("/wishes")
    await chat.wait_for(lambda t: f"微心愿 {open_wish.number} 待审核" in t)
    await secretary.tap("通过", chat=chat)  # on the latest card: the newest wish
    await helper.private_chat().wait_for(lambda t: open_wish.number in t)
    await helper.tap("认领")
    await helper.private_chat().wait_for(lambda t: "您已认领微心愿" in t)

    await secretary.send("/wishes")
    board = await chat.wait_for(lambda t: "您所负责网格的微心愿" in t)
    assert "待您审核：1 个" in board
    assert f"{open_wish.number} · 已由马红认领" in board
    card = await chat.wait_for(lambda t: f"微心愿 {pending.number} 待审核" in t)
    assert "希望有人教我用智能手机" in card
    assert await chat.buttons() == ["通过", "驳回"]


async def test_wishes_is_refused_to_someone_who_leads_no_grid(world: World) -> None:
    resident = world.persona(RESIDENT)
    await resident.send("/wishes")
    await resident.private_chat().wait_for(lambda t: "您没有权限" in t)


async def person_id(world: World, telegram_id: int) -> int:
    async with world.database.uow() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
    assert person is not None and person.id is not None
    return person.id
