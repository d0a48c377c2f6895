"""The closed loop on the handlers' side: a grid worker accepts, reports progress and
escalates; the community takes it over and resolves it with the photo the category needs."""

from __future__ import annotations

from gridbot.domain.case import CaseLevel, CaseStatus

from .flows import RESIDENT, report
from .harness import World
from .worker_play import (
    COMMUNITY_STAFF,
    OTHER_WORKER,
    SUPERVISOR,
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
    await staff.private_chat().wait_for(lambda t: "已收到 1 张照片" in t)
    await staff.tap("完成")
    await staff.private_chat().wait_for(lambda t: "已办结" in t)
    resolved = await home.wait_for(lambda t: "已办结" in t)
    assert case.number in resolved

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


async def test_a_worker_transfers_a_case_to_a_worker_of_another_grid(world: World) -> None:
    worker, other = await open_chats(world, WORKER, OTHER_WORKER)
    case = await report(world, world.persona(RESIDENT), "12号楼门口的垃圾", category="环境卫生")
    await worker.private_chat().wait_for(lambda t: case.number in t)

    await worker.tap("转派")
    await worker.private_chat().wait_for(lambda t: "转派给谁" in t)
    assert await worker.private_chat().buttons() == ["李娜 · 临月里第二网格", "取消"]
    await worker.tap("李娜 · 临月里第二网格")
    await worker.private_chat().wait_for(lambda t: "已转派。" in t)
    handed = await other.private_chat().wait_for(lambda t: case.number in t)
    assert "张伟" in handed
    await world.persona(RESIDENT).private_chat().wait_for(lambda t: "已转派给负责的同事" in t)

    case = await fresh(world, case)
    assert case.assignee_id == await person_id(world, OTHER_WORKER)
    assert case.grid_code == "DL-WX-LY-02" and case.status == CaseStatus.TRANSFERRED


async def test_returning_as_a_duplicate_needs_an_existing_other_case_number(world: World) -> None:
    [worker] = await open_chats(world, WORKER)
    resident = world.persona(RESIDENT)
    first = await report(world, resident, "小区东门路灯坏了", category="环境卫生")
    second = await report(world, resident, "东门的路灯又坏了", category="环境卫生")
    chat = worker.private_chat()
    await chat.wait_for(lambda t: second.number in t)

    await worker.tap("退回")
    await chat.wait_for(lambda t: f"为什么退回事项 {second.number}" in t)
    await worker.tap("重复反映")
    await chat.wait_for(lambda t: "请发送与之重复的事项编号" in t)
    await worker.send("2026-999999")
    await chat.wait_for(lambda t: "没有编号为 2026-999999 的事项，无法作为重复件退回" in t)
    assert (await fresh(world, second)).status == CaseStatus.ASSIGNED
    await worker.send(first.number)
    await chat.wait_for(lambda t: "已退回。" in t)
    told = await resident.private_chat().wait_for(
        lambda t: (
            f"{second.number} 未被受理" in t
            or (second.number in t and first.number in t and "退回" not in t)
        )
    )
    assert first.number in told
    assert (await fresh(world, second)).status == CaseStatus.REJECTED
    assert (await fresh(world, first)).status == CaseStatus.ASSIGNED


async def test_returning_as_out_of_scope_takes_an_optional_note(world: World) -> None:
    [worker] = await open_chats(world, WORKER)
    case = await report(world, world.persona(RESIDENT), "想咨询退休金计算", category="环境卫生")
    await worker.private_chat().wait_for(lambda t: case.number in t)

    await worker.tap("退回")
    await worker.tap("不属于受理范围")
    await worker.private_chat().wait_for(lambda t: "不属于受理范围。可给反映人留一句说明" in t)
    await worker.send("请咨询街道社保所")
    await worker.private_chat().wait_for(lambda t: "已退回。" in t)
    await world.persona(RESIDENT).private_chat().wait_for(lambda t: "请咨询街道社保所" in t)
    events = await events_of(world, case)
    assert events[-1].action == "reject" and "out_of_scope" in (events[-1].note or "")


async def test_a_supervisor_urges_and_the_assignee_is_pressed(world: World) -> None:
    worker, supervisor = await open_chats(world, WORKER, SUPERVISOR)
    case = await report(world, world.persona(RESIDENT), "垃圾站异味严重", category="环境卫生")
    await worker.private_chat().wait_for(lambda t: case.number in t)

    await supervisor.send(f"/case {case.number}")
    await supervisor.private_chat().wait_for(lambda t: "办理进度" in t)
    assert await supervisor.private_chat().buttons() == ["督办"]
    await supervisor.tap("督办")
    await supervisor.private_chat().wait_for(lambda t: "已督办" in t)
    pressed = await worker.private_chat().wait_for(lambda t: "督办：事项" in t)
    assert "宋涛" in pressed and "打开事项" in await worker.private_chat().buttons()
    assert (await actions_of(world, case))[-1] == "urge"
