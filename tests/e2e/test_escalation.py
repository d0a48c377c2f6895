"""Street level: 上报 twice climbs grid → community → street; the street's dispatcher 吹哨
whistles the case to the police, whose liaison 报到 reports for duty and resolves it."""

from __future__ import annotations

from gridbot.domain.case import CaseLevel, CaseStatus

from .flows import RESIDENT, report
from .harness import World
from .worker_play import (
    COMMUNITY_STAFF,
    POLICE_LIAISON,
    STREET_DISPATCHER,
    WORKER,
    events_of,
    fresh,
    open_chats,
    person_id,
)


async def test_the_street_whistles_to_the_police_whose_liaison_reports_for_duty_and_resolves(
    world: World,
) -> None:
    worker, community, street, police = await open_chats(
        world, WORKER, COMMUNITY_STAFF, STREET_DISPATCHER, POLICE_LIAISON
    )
    resident = world.persona(RESIDENT)
    case = await report(world, resident, "小区门口每晚有人聚众喝酒吵闹", category="市容秩序")

    await worker.private_chat().wait_for(lambda t: case.number in t)
    await worker.tap("上报")
    await community.private_chat().wait_for(lambda t: case.number in t)
    await community.tap("上报")
    handed = await street.private_chat().wait_for(lambda t: case.number in t)
    assert "林小红" in handed
    assert (await fresh(world, case)).level == CaseLevel.STREET

    await street.tap("接单")
    await street.private_chat().wait_for(lambda t: "接单成功" in t)
    assert "吹哨" in await street.private_chat().buttons()
    await street.tap("吹哨")
    await street.private_chat().wait_for(lambda t: "吹哨给哪个部门" in t)
    assert await street.private_chat().buttons() == ["公安", "城管", "取消"]
    await street.tap("公安")
    await street.private_chat().wait_for(lambda t: "已吹哨：公安" in t)

    whistled = await police.private_chat().wait_for(lambda t: case.number in t)
    assert "吹哨" in whistled and "高峰" in whistled
    await police.tap("接单")  # 报到
    card = await police.private_chat().wait_for(lambda t: "接单成功" in t)
    assert "职能部门" in card and "罗斌" in card
    await street.private_chat().wait_for(lambda t: "罗斌" in t and "报到" in t)
    await police.tap("办结")
    await police.private_chat().wait_for(lambda t: "做了哪些处理" in t)
    await police.send("已出警劝离，并安排夜间巡逻")
    await police.private_chat().wait_for(lambda t: "请发送处理结果的照片" in t)
    await police.tap("完成")  # this category needs no photo
    await police.private_chat().wait_for(lambda t: "已办结。" in t)
    await resident.private_chat().wait_for(lambda t: "已办结" in t and "夜间巡逻" in t)

    case = await fresh(world, case)
    assert case.status == CaseStatus.RESOLVED
    assert case.level == CaseLevel.DEPARTMENT and case.department == "police"
    assert case.assignee_id == await person_id(world, POLICE_LIAISON)
    events = await events_of(world, case)
    moves = [(e.action, e.level) for e in events if e.action in ("escalate", "whistle")]
    assert moves == [
        ("escalate", CaseLevel.COMMUNITY),
        ("escalate", CaseLevel.STREET),
        ("whistle", CaseLevel.DEPARTMENT),
    ]
    assert [e.action for e in events][-2:] == ["report_for_duty", "resolve"]
