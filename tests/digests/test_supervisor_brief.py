"""The supervisors' morning brief: at the brief time each supervisor gets one message with
yesterday's figures of their unit, what is overdue now and the grids with the most of it; a
supervisor whose unit had nothing yesterday and has nothing overdue gets nothing."""

from __future__ import annotations

from datetime import datetime

from gridbot.domain.org import Role, RoleAssignment
from gridbot.services.brief import ensure_morning_brief

from .conftest import ADMIN, DISTRICT_SUPERVISOR, SUPERVISOR, TZ, WORKER, Town

HEADER = "早上好！您所辖单位昨日概况"


async def briefs(town: Town, telegram_id: int) -> list[str]:
    return [t for t in await town.texts(telegram_id) if "早上好" in t]


async def a_day_of_cases(town: Town) -> None:
    """Monday 2 March: two cases on 临月里第一网格 (one resolved, one never taken up) and one
    on 詹滨里第一网格 never taken up."""
    await town.resolved()
    await town.report(2002, text="5号楼楼道灯坏了")
    await town.report(2004, text="小区门口井盖松动")


async def test_each_supervisor_gets_yesterday_the_overdue_and_the_worst_grids(
    town: Town,
) -> None:
    await a_day_of_cases(town)
    town.clock.advance(minutes=20)
    await town.report(2002, text="楼道里堆满了杂物")  # 临月里第一网格: its second one late
    assert await ensure_morning_brief(town.ctx)

    town.at(2026, 3, 3, 8, 0)
    await town.tick()

    (street,) = await briefs(town, SUPERVISOR)
    assert HEADER in street
    assert "万新街道 昨日（2026-03-02）" in street and "受理 4 · 已办结 1" in street
    assert "解决率 25.0%" in street
    assert "当前超期：3 件" in street
    assert street.index("临月里第一网格：超期 2") < street.index("詹滨里第一网格：超期 1")
    assert "/stats" in street and "/tasks" not in street
    (district,) = await briefs(town, DISTRICT_SUPERVISOR)
    assert "东丽区 昨日（2026-03-02）" in district and "当前超期：3 件" in district
    # The worker's own brief is as it was: their day, no unit's figures.
    (own,) = await briefs(town, WORKER)
    assert "今天的待办" in own and "昨日" not in own


async def test_overdue_cases_alone_bring_a_brief_the_day_after(town: Town) -> None:
    await a_day_of_cases(town)
    town.at(2026, 3, 3, 12, 0)
    assert await ensure_morning_brief(town.ctx)

    town.at(2026, 3, 4, 8, 0)
    await town.tick()

    (brief,) = await briefs(town, SUPERVISOR)
    assert "万新街道 昨日（2026-03-03）" in brief and "受理 0 · 已办结 0" in brief
    assert "当前超期：2 件" in brief


async def test_a_supervisor_with_nothing_yesterday_and_nothing_overdue_gets_nothing(
    town: Town,
) -> None:
    async with town.db.uow() as uow:  # 韩冰 also supervises 詹滨里社区, where nothing happens
        admin = await uow.people.by_telegram_id(ADMIN)
        assert admin is not None and admin.id is not None
        await uow.people.add_role(RoleAssignment(admin.id, Role.SUPERVISOR, "DL-WX-ZB"))
        await uow.commit()
    await town.resolved()
    assert await ensure_morning_brief(town.ctx)

    town.at(2026, 3, 3, 8, 0)
    await town.tick()

    assert len(await briefs(town, SUPERVISOR)) == 1
    assert await briefs(town, ADMIN) == []
    (brief,) = await briefs(town, SUPERVISOR)
    assert "当前无超期事项" in brief

    town.at(2026, 3, 4, 8, 0)  # nothing on the 3rd, nothing overdue: nobody hears
    await town.tick()
    assert len(await briefs(town, SUPERVISOR)) == 1
    assert datetime(2026, 3, 4, 8, 0, tzinfo=TZ) == town.clock.now()
