"""/rank and /grid through the stand, with the demo org: 2001 李桂兰 reports a case, 1001 张伟
accepts and resolves it, she rates it 满意; five more cases wait on each of two grids. 1022
宋涛 (supervisor of 万新街道) ranks the street's grids (the formula shown, the grids with too
few cases apart), pages through them, ranks 临月里社区's workers, and opens 临月里第一网格's
card. An unknown code, a community's code, a worker's /grid, a resident's /rank and a forged
tap on a unit above are refused politely, with nothing computed.

临月里第一网格 this month: six cases, all 张伟's (the one reported, accepted in time,
resolved and rated 满意; five waiting past their response deadline): response 1/6,
resolution 1/6, satisfaction 1/1, on time 1/1, so 0.3/6 + 0.3/6 + 0.3 + 0.1 = 50.0 points.
詹滨里第一网格: five cases waiting past their response deadline: 0.0 points.
"""

from __future__ import annotations

from datetime import timedelta

from gridbot.domain.case import CaseStatus
from gridbot.domain.org import GridKind, OrgUnit, UnitLevel
from gridbot.handlers.common.callbacks import RankCallback

from .flows import RESIDENT, report, seed_cases
from .harness import Persona, World
from .wish_play import answer_to, forge
from .worker_play import WORKER, open_chats, person_id

SUPERVISOR = 1022  # 宋涛, 万新街道
ZB_RESIDENT = 2004  # 刘德明, 詹滨里第一网格
REFUSED = "统计仅供督查人员查看本单位及下级单位"
FORMULA = "综合得分（满分 100）= 30% × 响应率 + 30% × 解决率 + 30% × 满意率 + 10% × 按期办结率"


async def handle_and_rate(world: World, worker: Persona, resident: Persona) -> None:
    case = await report(world, resident, "3号楼门口垃圾堆了三天", category="环境卫生")
    chat = worker.private_chat()
    await chat.wait_for(lambda t: case.number in t)
    await worker.tap("接单")
    await chat.wait_for(lambda t: "接单成功" in t)
    await worker.tap("办结")
    await chat.wait_for(lambda t: "做了哪些处理" in t)
    await worker.send("已安排清运")
    await chat.wait_for(lambda t: "请发送处理结果的照片" in t)
    await worker.tap("完成")
    await chat.wait_for(lambda t: "已办结" in t)
    await resident.private_chat().wait_for(lambda t: f"您的事项 {case.number} 已办结" in t)
    await resident.tap("满意")
    await resident.private_chat().wait_for(lambda t: "感谢您对事项" in t)


async def seed_waiting(world: World) -> None:
    """Five cases on each of two grids, received two hours ago and not taken up in time."""
    due = world.clock.now() - timedelta(minutes=1)
    zhang = await person_id(world, WORKER)
    waiting = {"status": CaseStatus.ASSIGNED, "respond_by": due}
    await seed_cases(world, RESIDENT, 5, assignee_id=zhang, **waiting)
    await seed_cases(world, ZB_RESIDENT, 5, grid_code="DL-WX-ZB-01", **waiting)


async def add_grids(world: World) -> None:
    """Six more grids (no cases) under 詹滨里社区: ten grids, two pages."""
    async with world.database.uow() as uow:
        for n in range(3, 9):
            code = f"DL-WX-ZB-{n:02d}"
            name = f"詹滨里第{n}网格"
            await uow.org.save_unit(
                OrgUnit(code, name, UnitLevel.GRID, "DL-WX-ZB", GridKind.RESIDENTIAL)
            )
        await uow.commit()


async def test_a_supervisor_ranks_the_grids_pages_ranks_workers_and_opens_a_card(
    world: World,
) -> None:
    worker, supervisor = await open_chats(world, WORKER, SUPERVISOR)
    await handle_and_rate(world, worker, world.persona(RESIDENT))
    await seed_waiting(world)
    await add_grids(world)
    chat = supervisor.private_chat()

    await supervisor.send("/rank")
    first = await chat.wait_for(lambda t: "🏆 万新街道" in t)
    assert "网格排名" in first and FORMULA in first
    assert "1. 临月里第一网格 DL-WX-LY-01 — 50.0 分\n" in first
    assert "响应率 16.7% · 解决率 16.7% · 满意率 100.0% · 按期办结率 100.0% · 受理 6" in first
    assert "2. 詹滨里第一网格 DL-WX-ZB-01 — 0.0 分" in first
    assert "事项太少，不参与排名（少于 5 件）\n· 临月里第二网格 DL-WX-LY-02 — 受理 0" in first
    assert "第 1/2 页 · 参与排名 2 个，事项太少 8 个" in first
    assert "詹滨里第7网格" not in first
    assert await chat.buttons() == ["今天", "本周", "本月", "本季度", "下一页 »"]

    await supervisor.tap("下一页 »")
    second = await chat.wait_for(lambda t: "第 2/2 页" in t)
    assert "· 詹滨里第7网格 DL-WX-ZB-07 — 受理 0" in second
    assert "· 詹滨里第8网格 DL-WX-ZB-08 — 受理 0" in second
    assert "临月里第一网格" not in second and "事项太少，不参与排名" in second
    await supervisor.tap("« 上一页")
    await chat.wait_for(lambda t: "第 1/2 页" in t and "1. 临月里第一网格" in t)

    await supervisor.send("/rank DL-WX-LY")
    community = await chat.wait_for(lambda t: "🏆 临月里社区" in t)
    assert "1. 临月里第一网格 DL-WX-LY-01 — 50.0 分" in community
    await supervisor.tap("👥 网格员排名")
    workers = await chat.wait_for(lambda t: "网格员排名" in t and "1. 张伟" in t)
    assert "1. 张伟 — 50.0 分" in workers and "经办 6" in workers
    assert "当前在办 5 · ⚠️ 超期 5" in workers
    assert "· 李娜 — 经办 0 · 当前在办 0" in workers
    assert "🏘 网格排名" in await chat.buttons()

    await supervisor.send("/grid DL-WX-LY-01")
    card = await chat.wait_for(lambda t: "🗺 临月里第一网格 DL-WX-LY-01 · 临月里社区" in t)
    assert "· 王芳 · 网格长、支部书记 · 📞 13800001002" in card
    assert "· 张伟 · 专职网格员 · 📞 13800001001" in card
    assert "当前在办 5 · ⚠️ 超期 5" in card
    assert "综合得分 50.0（上期 —）" in card  # nothing last month to compare with
    assert "响应率 16.7%（上期 —）" in card and "环境卫生：受理 6" in card
    assert "李桂兰" not in card and "13900002001" not in card  # the reporter, a resident
    await supervisor.tap("本周")
    await chat.wait_for(lambda t: "🗺 临月里第一网格" in t and "-W" in t)


async def test_bad_codes_other_roles_and_forged_taps_are_refused_politely(world: World) -> None:
    supervisor, worker, resident = await open_chats(world, SUPERVISOR, WORKER, RESIDENT)
    chat = supervisor.private_chat()

    await supervisor.send("/grid")
    usage = await chat.wait_for(lambda t: "/grid" in t)
    assert "例如 /grid DL-WX-LY-01" in usage and "· 临月里第二网格 DL-WX-LY-02" in usage
    await supervisor.send("/grid DL-XX-99")
    unknown = await chat.wait_for(lambda t: "没有编码为 DL-XX-99 的网格" in t)
    assert "未进行任何查询" in unknown
    await supervisor.send("/grid DL-WX-LY")
    await chat.wait_for(lambda t: "DL-WX-LY 不是网格" in t)
    await supervisor.send("/rank 2026-13")
    await chat.wait_for(lambda t: "无法识别这个统计时段" in t)

    await worker.send("/grid DL-WX-LY-01")
    refused = await worker.private_chat().wait_for(lambda t: "网格卡片仅供" in t)
    assert "🗺" not in refused
    for person in (resident, worker):
        await person.send("/rank")
        answer = await person.private_chat().wait_for(lambda t: REFUSED in t)
        assert "🏆" not in answer and "综合得分" not in answer

    await supervisor.send("/rank")
    await chat.wait_for(lambda t: "🏆 万新街道" in t)
    async with world.database.reader() as uow:
        district = await uow.org.get_unit("DL")
    assert district is not None and district.id is not None
    data = RankCallback(view="grids", period="month", unit=district.id).pack()
    tapped = await forge(world, supervisor, data)
    assert REFUSED in (await answer_to(world, tapped)).get("text", "")
    assert not any("🏆 东丽区" in m.get("text", "") for m in await chat.bot_messages())
