"""The closed loop on the handlers' side: a grid worker accepts, reports progress and
escalates; the community takes it over and resolves it with the photo the category needs."""

from __future__ import annotations

from gridbot.domain.case import CaseLevel, CaseStatus

from .flows import RESIDENT, report
from .harness import World
from .worker_play import (
    COMMUNITY_STAFF,
    WORKER,
    actions_of,
    events_of,
    fresh,
    open_chats,
    person_id,
)


async def test_a_report_is_accepted_progressed_escalated_and_resolved_with_a_photo(
    world: World,
) -> None:
    worker, staff = await open_chats(world, WORKER, COMMUNITY_STAFF)
    resident = world.persona(RESIDENT)
    home = resident.private_chat()
    case = await report(world, resident, "3号楼楼道灯坏了一个星期", category="设施维修")

    card = await worker.private_chat().wait_for(lambda t: case.number in t)
    assert "楼道灯" in card
    assert await worker.private_chat().buttons() == ["接单", "转派", "上报", "退回"]

    await worker.tap("接单")
    card = await worker.private_chat().wait_for(lambda t: "接单成功" in t)
    assert "处理中" in card or "办理人：张伟" in card
    assert await worker.private_chat().buttons() == ["转派", "上报", "进展", "办结"]
    await home.wait_for(lambda t: "已被接单" in t)

    await worker.tap("进展")
    await worker.private_chat().wait_for(lambda t: "的进展" in t)
    await worker.send("已联系物业电工，明天上午更换")
    await worker.private_chat().wait_for(lambda t: "进展已记录" in t)
    await home.wait_for(lambda t: "明天上午更换" in t)

    await worker.tap("上报")
    card = await worker.private_chat().wait_for(lambda t: "已上报上一级" in t)
    assert await worker.private_chat().buttons() == []  # no longer theirs
    await home.wait_for(lambda t: "更高层级" in t or "上报" in t)

    handed = await staff.private_chat().wait_for(lambda t: case.number in t)
    assert "张伟" in handed
    await staff.tap("接单")
    await staff.private_chat().wait_for(lambda t: "接单成功" in t)
    await staff.tap("办结")
    await staff.private_chat().wait_for(lambda t: "做了哪些处理" in t)
    await staff.send("已更换楼道灯，并检查了整栋楼的线路")
    await staff.private_chat().wait_for(lambda t: "请发送处理结果的照片" in t)
    await staff.tap("完成")
    await staff.private_chat().wait_for(lambda t: "至少上传一张结果照片" in t)
    assert (await fresh(world, case)).status == CaseStatus.IN_PROGRESS  # refused: no photo
    await staff.photo()
    await staff.private_chat().wait_for(lambda t: "已收到照片 1 张" in t)
    await staff.tap("完成")
    await staff.private_chat().wait_for(lambda t: "已办结" in t)
    resolved = await home.wait_for(lambda t: "已办结" in t or "满意" in t)
    assert case.number in resolved
    assert "满意" in await home.buttons()

    case = await fresh(world, case)
    assert case.status == CaseStatus.RESOLVED and case.level == CaseLevel.COMMUNITY
    assert case.assignee_id == await person_id(world, COMMUNITY_STAFF)
    actions = await actions_of(world, case)
    assert actions[-5:] == ["accept", "progress", "escalate", "accept", "resolve"]
    events = await events_of(world, case)
    escalation = next(e for e in events if e.action == "escalate")
    assert escalation.level == CaseLevel.COMMUNITY
    assert escalation.actor_id == await person_id(world, WORKER)
    progress = next(e for e in events if e.action == "progress")
    assert progress.note == "已联系物业电工，明天上午更换"
    resolution = events[-1]
    assert resolution.note and "楼道灯" in resolution.note and len(resolution.attachments) == 1
