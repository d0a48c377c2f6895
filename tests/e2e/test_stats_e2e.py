"""/stats through the stand: 1022 宋涛 (supervisor of 万新街道 DL-WX) reads this month's
figures, switches to this week, drills down into a community and comes back up; 1023 唐海
(the district) drills into the street; a worker and a resident are refused politely, and a
forged drill-down into a unit outside the supervisor's scope is refused and shows nothing.
"""

from __future__ import annotations

from datetime import timedelta

from gridbot.handlers.common.callbacks import StatsCallback

from .flows import RESIDENT, report, seed_cases
from .harness import SHANGHAI, World
from .wish_play import answer_to, forge
from .worker_play import WORKER, open_chats

STREET_SUPERVISOR, DISTRICT_SUPERVISOR = 1022, 1023
REFUSED = "统计仅供督查人员查看本单位及下级单位"


async def test_a_supervisor_reads_switches_the_period_and_drills_down(world: World) -> None:
    resident = world.persona(RESIDENT)
    await report(world, resident, "3号楼门口垃圾堆了三天", category="环境卫生")
    # Two cases on the other community's grid, received at 08:00 and not taken up by 10:00.
    due = world.clock.now() - timedelta(minutes=1)
    await seed_cases(
        world, 2004, 2, age=timedelta(hours=2), grid_code="DL-WX-ZB-01", respond_by=due
    )
    (supervisor,) = await open_chats(world, STREET_SUPERVISOR)
    chat = supervisor.private_chat()
    today = world.clock.now().astimezone(SHANGHAI).date()

    await supervisor.send("/stats")
    month = await chat.wait_for(lambda t: "📊" in t)
    assert f"📊 万新街道 · {today:%Y-%m}\n" in month and "受理 3" in month
    assert "⚠️ 超期 2" in month and "响应率 0.0%（0/2）" in month
    assert "响应率" in month and "解决率" in month and "满意率" in month
    assert "临月里社区：受理 1" in month and "詹滨里社区：受理 2" in month
    buttons = await chat.buttons()
    assert buttons[:4] == ["今天", "本周", "本月", "本季度"]
    assert "临月里社区" in buttons and "詹滨里社区" in buttons
    assert not any(b.startswith("⬆") for b in buttons)  # the district is not theirs

    await supervisor.tap("今天")
    shown = await chat.wait_for(lambda t: f"📊 万新街道 · {today:%Y-%m-%d}\n" in t)
    assert "受理 3" in shown and "詹滨里社区：受理 2" in shown

    await supervisor.tap("临月里社区")
    community = await chat.wait_for(lambda t: f"📊 临月里社区 · {today:%Y-%m-%d}" in t)
    assert "受理 1" in community and "临月里第一网格：受理 1" in community
    assert "⬆ 返回万新街道" in await chat.buttons()

    await supervisor.tap("⬆ 返回万新街道")
    await chat.wait_for(lambda t: f"📊 万新街道 · {today:%Y-%m-%d}" in t)  # still today
    await supervisor.tap("本周")
    week = await chat.wait_for(lambda t: "📊 万新街道" in t and "-W" in t)
    assert "受理 3" in week


async def test_a_district_supervisor_drills_into_the_street(world: World) -> None:
    (supervisor,) = await open_chats(world, DISTRICT_SUPERVISOR)
    chat = supervisor.private_chat()
    await supervisor.send("/stats 本季度")
    district = await chat.wait_for(lambda t: "📊 东丽区" in t)
    assert "万新街道：受理 0" in district

    await supervisor.tap("万新街道")
    await chat.wait_for(lambda t: "📊 万新街道" in t)
    assert "⬆ 返回东丽区" in await chat.buttons()
    await supervisor.send("/stats 2026-13")
    await chat.wait_for(lambda t: "无法识别这个统计时段" in t)


async def test_workers_and_residents_are_refused_politely(world: World) -> None:
    worker, resident = await open_chats(world, WORKER, RESIDENT)
    for person in (worker, resident):
        await person.send("/stats")
        answer = await person.private_chat().wait_for(lambda t: REFUSED in t)
        assert "📊" not in answer and "受理" not in answer


async def test_a_forged_drill_down_outside_the_supervisors_units_is_refused(
    world: World,
) -> None:
    (supervisor,) = await open_chats(world, STREET_SUPERVISOR)
    chat = supervisor.private_chat()
    await supervisor.send("/stats")
    await chat.wait_for(lambda t: "📊 万新街道" in t)
    async with world.database.reader() as uow:
        district = await uow.org.get_unit("DL")
    assert district is not None and district.id is not None

    tapped = await forge(world, supervisor, StatsCallback(period="month", unit=district.id).pack())

    assert REFUSED in (await answer_to(world, tapped)).get("text", "")
    assert not any("东丽区" in m.get("text", "") for m in await chat.bot_messages())
