"""转派, 上报, 吹哨, 报到: a case changes hands, and every level it passes is on record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.case import CaseLevel, CaseStatus
from gridbot.domain.errors import IllegalTransition, PermissionDenied, ValidationFailed
from gridbot.domain.messaging import DueKind
from gridbot.services.workflow import (
    AcceptCase,
    CaseCommand,
    EscalateCase,
    ResolveCase,
    TransferCase,
    TransferTarget,
    WhistleCase,
    accept_case,
    escalate_case,
    resolve_case,
    transfer_case,
    transfer_options,
    whistle_case,
    whistle_options,
)

from .conftest import (
    COMMUNITY,
    COMMUNITY_SECRETARY,
    DISPATCHER,
    NEIGHBOUR_WORKER,
    POLICE,
    RESIDENT,
    T0,
    URBAN,
    WORKER,
    WORKER_GROUP,
    Desk,
)


async def test_transfer_targets_are_the_other_workers_of_the_community(desk: Desk) -> None:
    case = await desk.report()

    targets = await desk.run(transfer_options, CaseCommand, WORKER, case.id)

    assert targets == [
        TransferTarget(
            await desk.person_id(NEIGHBOUR_WORKER), "李娜", "DL-WX-LY-02", "临月里第二网格"
        )
    ]


async def test_a_transfer_hands_the_case_over_and_tells_the_new_grids_team(desk: Desk) -> None:
    async with desk.db.uow() as uow:
        await uow.bindings.save(
            ChatBinding(WORKER_GROUP, "DL-WX-LY-02", BindingKind.WORKER_GROUP, T0)
        )
        await uow.commit()
    case = await desk.report()
    desk.clock.advance(minutes=10)
    neighbour = await desk.person_id(NEIGHBOUR_WORKER)

    await desk.run(transfer_case, TransferCase, WORKER, case.id, neighbour, "在二网格")

    stored = await desk.case(case.id)
    assert (stored.status, stored.assignee_id) == (CaseStatus.TRANSFERRED, neighbour)
    assert (stored.grid_code, stored.unit_code, stored.level) == (
        "DL-WX-LY-02",
        "DL-WX-LY-02",
        CaseLevel.GRID,
    )
    last = (await desk.events(case.id))[-1]
    assert (last.action, last.assignee_id, last.level) == ("transfer", neighbour, CaseLevel.GRID)
    card = (await desk.outbox(NEIGHBOUR_WORKER))[-1]
    assert "由 张伟 转派给您" in card.params["text"] and "在二网格" in card.params["text"]
    assert (
        card.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        == f"c:accept:{case.id}"
    )
    # the new grid has no branch secretary of its own: the community's is copied
    cc = (await desk.outbox(COMMUNITY_SECRETARY))[-1]
    assert "抄送" in cc.params["text"] and "reply_markup" not in cc.params
    (line,) = await desk.texts(WORKER_GROUP)
    assert case.number in line and "环境卫生" in line and "垃圾" not in line
    (respond,) = await desk.due(DueKind.RESPOND_DEADLINE)
    assert respond.due_at == desk.clock.now() + timedelta(hours=2)
    assert respond.payload["assignee_id"] == neighbour


async def test_a_transfer_to_someone_who_is_not_a_target_is_refused(desk: Desk) -> None:
    case = await desk.report()
    before = await desk.snapshot(case.id)

    for person in (await desk.person_id(RESIDENT), await desk.person_id(WORKER), 99999):
        with pytest.raises(ValidationFailed):
            await desk.run(transfer_case, TransferCase, WORKER, case.id, person)

    assert await desk.snapshot(case.id) == before


async def test_the_ladder_goes_grid_community_street_department_and_is_on_record(
    desk: Desk,
) -> None:
    case = await desk.report(category="order", text="小区门口占道经营")
    await desk.run(accept_case, AcceptCase, WORKER, case.id)

    await desk.run(escalate_case, EscalateCase, WORKER, case.id, "网格难以协调")
    await desk.run(accept_case, AcceptCase, COMMUNITY, case.id)
    await desk.run(escalate_case, EscalateCase, COMMUNITY, case.id)
    departments = await desk.run(whistle_options, CaseCommand, DISPATCHER, case.id)
    assert departments == ["police", "urban_management"]
    await desk.run(whistle_case, WhistleCase, DISPATCHER, case.id, "urban_management")
    await desk.run(accept_case, AcceptCase, URBAN, case.id)
    await desk.run(resolve_case, ResolveCase, URBAN, case.id, "已劝离")

    moves = [
        (e.action, e.level, e.assignee_id)
        for e in await desk.events(case.id)
        if e.action in ("assign", "escalate", "whistle")
    ]
    assert moves == [
        ("assign", CaseLevel.GRID, await desk.person_id(WORKER)),
        ("escalate", CaseLevel.COMMUNITY, await desk.person_id(COMMUNITY)),
        ("escalate", CaseLevel.STREET, await desk.person_id(DISPATCHER)),
        ("whistle", CaseLevel.DEPARTMENT, await desk.person_id(URBAN)),
    ]
    stored = await desk.case(case.id)
    assert (stored.status, stored.level, stored.department) == (
        CaseStatus.RESOLVED,
        CaseLevel.DEPARTMENT,
        "urban_management",
    )
    assert "report_for_duty" in await desk.actions(case.id)
    assert any("梁晨 已就事项" in t for t in await desk.texts(DISPATCHER))


async def test_a_department_reports_for_duty_within_two_hours(desk: Desk) -> None:
    case = await desk.report()
    await desk.run(escalate_case, EscalateCase, WORKER, case.id)
    await desk.run(escalate_case, EscalateCase, COMMUNITY, case.id)
    desk.clock.advance(minutes=5)

    await desk.run(whistle_case, WhistleCase, DISPATCHER, case.id, "police")

    (respond,) = await desk.due(DueKind.RESPOND_DEADLINE)
    assert respond.due_at == desk.clock.now() + timedelta(hours=2)
    card = (await desk.texts(POLICE))[-1]
    assert "吹哨" in card and case.number in card
    with pytest.raises(PermissionDenied):  # the other department's liaison may not 报到
        await desk.run(accept_case, AcceptCase, URBAN, case.id)
    await desk.run(accept_case, AcceptCase, POLICE, case.id)
    assert await desk.due(DueKind.RESPOND_DEADLINE) == []


async def test_the_street_cannot_escalate_further_but_whistles(desk: Desk) -> None:
    case = await desk.report()
    await desk.run(escalate_case, EscalateCase, WORKER, case.id)
    await desk.run(escalate_case, EscalateCase, COMMUNITY, case.id)
    before = await desk.snapshot(case.id)

    with pytest.raises(IllegalTransition):
        await desk.run(escalate_case, EscalateCase, DISPATCHER, case.id)
    with pytest.raises(ValidationFailed):
        await desk.run(whistle_case, WhistleCase, DISPATCHER, case.id, "fire")

    assert await desk.snapshot(case.id) == before


async def test_only_the_street_dispatcher_whistles(desk: Desk) -> None:
    case = await desk.report()
    await desk.run(escalate_case, EscalateCase, WORKER, case.id)
    before = await desk.snapshot(case.id)

    for person in (COMMUNITY, WORKER, DISPATCHER):  # at community level nobody whistles
        with pytest.raises((PermissionDenied, IllegalTransition)):
            await desk.run(whistle_case, WhistleCase, person, case.id, "police")

    assert await desk.snapshot(case.id) == before
