"""Wish buttons are requests, not permissions: forged or stale taps are refused clearly and
change nothing (the wish, its events, nobody else's chat)."""

from __future__ import annotations

from gridbot.domain.case import CaseStatus

from .flows import RESIDENT
from .harness import World
from .wish_play import (
    BUILDING_LEADER,
    OTHER_GRID_LEADER,
    PARTY_MEMBER,
    SECRETARY,
    SPECIALIST,
    answer_to,
    forge,
    post_wish,
    snapshot,
)

DENIED = "您没有权限"


async def test_forged_and_late_wish_taps_are_refused_and_change_nothing(world: World) -> None:
    resident, secretary = world.persona(RESIDENT), world.persona(SECRETARY)
    first, second = world.persona(PARTY_MEMBER), world.persona(SPECIALIST)
    stranger_leader = world.persona(OTHER_GRID_LEADER)
    for person in (secretary, first, second, stranger_leader):
        await person.send("/start")
    wish = await post_wish(world, resident, "想请人帮忙修一下自行车")
    await secretary.private_chat().wait_for(lambda t: wish.number in t)
    before = await snapshot(world, wish)

    for who, action in ((resident, "approve"), (first, "approve"), (stranger_leader, "reject")):
        toast = await answer_to(world, await forge(world, who, f"c:{action}:{wish.id}"))
        assert DENIED in toast["text"]
        await who.private_chat().wait_for(lambda t: DENIED in t)
    assert await snapshot(world, wish) == before
    assert "为什么驳回" not in await stranger_leader.private_chat().transcript()

    await secretary.tap("通过")
    await first.private_chat().wait_for(lambda t: "等待认领" in t)
    await first.tap("认领")
    await first.private_chat().wait_for(lambda t: "您已认领微心愿" in t)
    claimed = await snapshot(world, wish)
    assert claimed[0].status == CaseStatus.CLAIMED

    await second.tap("认领")  # a second claim after the first
    await second.private_chat().wait_for(lambda t: "已被其他人认领" in t)
    toast = await answer_to(world, await forge(world, first, f"c:claim:{wish.id}"))  # double tap
    assert "已被其他人认领" in toast["text"]
    await first.private_chat().wait_for(lambda t: "已被其他人认领" in t)
    await answer_to(world, await forge(world, second, f"c:fulfil:{wish.id}"))
    await second.private_chat().wait_for(lambda t: DENIED in t)
    await answer_to(world, await forge(world, second, f"c:confirm:{wish.id}"))
    await second.private_chat().wait_for(lambda t: DENIED in t)
    await answer_to(world, await forge(world, resident, f"c:confirm:{wish.id}"))  # too early
    await resident.private_chat().wait_for(lambda t: "当前环节不能进行此操作" in t)
    assert await snapshot(world, wish) == claimed


async def test_a_helper_cannot_claim_their_own_wish(world: World) -> None:
    helper, secretary = world.persona(BUILDING_LEADER), world.persona(SECRETARY)
    await secretary.send("/start")
    wish = await post_wish(world, helper, "想请人帮忙照看两天花草")
    await secretary.private_chat().wait_for(lambda t: wish.number in t)
    await secretary.tap("通过")
    await secretary.private_chat().wait_for(lambda t: "已通过审核" in t)
    assert "等待认领" not in await helper.private_chat().transcript()  # not offered to them
    approved = await snapshot(world, wish)

    await answer_to(world, await forge(world, helper, f"c:claim:{wish.id}"))
    await helper.private_chat().wait_for(lambda t: DENIED in t)
    assert await snapshot(world, wish) == approved
