"""/chart as a use case: a PNG of the fixed size that decodes, drawn from the demo org with
a month of cases (and from an empty month), the per-day counts grouped by local day in
SQL on both backends (a zone with daylight saving too), and the same refusals as
/export, before anything is read."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from demo_town import DemoTown
from gridbot.domain.case import Case, CaseKind, CaseLevel, CaseStatus
from gridbot.domain.errors import PermissionDenied, ValidationFailed
from gridbot.domain.exports import offset_spans
from gridbot.domain.metrics import month_period
from gridbot.domain.org import Category, OrgUnit, Role, UnitLevel
from gridbot.services.exports import CHART_SIZE, ChartOf, unit_chart
from gridbot.services.ports import UnitOfWork
from gridbot.storage.database import Database

from .conftest import Town
from .seed import seed_february

SUPERVISOR, RESIDENT = 1022, 2001  # 宋涛 supervises 万新街道 in the demo org
BERLIN = ZoneInfo("Europe/Berlin")


def decoded(content: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(content))
    picture.load()  # every pixel decoded, not only the header read
    return picture


@pytest.fixture
async def demo(database: Database) -> DemoTown:
    town = await DemoTown.demo(database)
    await seed_february(database)
    return town


async def test_the_chart_is_a_png_of_the_fixed_size(demo: DemoTown) -> None:
    actor = await demo.actor(SUPERVISOR)

    made = await unit_chart(ChartOf(actor, "2026-02"), demo.ctx)
    empty = await unit_chart(ChartOf(actor, "2025-12"), demo.ctx)

    assert made.file_name == "gridbot-万新街道-2026-02.png" and made.size == CHART_SIZE
    for chart in (made, empty):
        picture = decoded(chart.content)
        assert picture.format == "PNG" and picture.size == CHART_SIZE == (1200, 800)
    assert made.stats.figures.counts.received == 113 and empty.stats.figures.counts.received == 0
    assert made.content != empty.content


async def test_a_long_period_is_drawn_too_in_english(demo: DemoTown) -> None:
    made = await unit_chart(
        ChartOf(await demo.actor(SUPERVISOR), "2026-01-01..2026-06-30", locale="en"), demo.ctx
    )

    assert decoded(made.content).size == CHART_SIZE


async def test_the_same_refusals_as_the_export_and_nothing_read(demo: DemoTown) -> None:
    opened: list[int] = []

    def reading() -> UnitOfWork:
        opened.append(1)
        return demo.ctx.reading()

    ctx = replace(demo.ctx, reading=reading)
    with pytest.raises(PermissionDenied) as refused:
        await unit_chart(ChartOf(await demo.actor(RESIDENT)), ctx)
    assert refused.value.details["action"] == "view_stats"
    with pytest.raises(PermissionDenied):
        await unit_chart(ChartOf(await demo.actor(SUPERVISOR), None, "DL"), ctx)
    with pytest.raises(ValidationFailed) as bad:
        await unit_chart(ChartOf(await demo.actor(SUPERVISOR), "someday"), ctx)
    assert bad.value.details == {"code": "period", "text": "someday", "use": "chart"}
    assert opened == []


async def test_days_are_local_days_grouped_in_sql(town: Town) -> None:
    november = month_period(2026, 11, ZoneInfo("Asia/Shanghai"))
    grids = ["DL-WX", "DL-WX-LY", "DL-WX-LY-01", "DL-WX-ZB", "DL-WX-ZB-01"]

    async with town.db.reader() as uow:
        found = await uow.exports.daily_counts(
            grids, november.start, november.end, offset_spans(november)
        )

    received = {d.day: n for d, (n, _) in found.items() if n}
    resolved = {d.day: n for d, (_, n) in found.items() if n}
    assert received == {2: 1, 3: 1, 5: 1, 6: 1, 7: 1, 10: 1, 15: 1, 18: 1, 20: 1, 25: 1, 30: 1}
    assert resolved == {3: 1, 4: 1, 8: 2, 10: 1}  # A, I, J and K, B
    assert all(d.month == 11 and d.year == 2026 for d in found)  # 18th 00:30 is not the 17th


async def test_a_daylight_saving_change_moves_the_local_day(db: Database) -> None:
    october = month_period(2026, 10, BERLIN)  # summer time ends on 25 October at 03:00
    async with db.uow() as uow:
        for number, at in enumerate(
            (
                datetime(2026, 10, 1, 22, 30, tzinfo=UTC),  # 2 Oct 00:30 summer time
                datetime(2026, 10, 25, 22, 30, tzinfo=UTC),  # 25 Oct 23:30 winter time
                datetime(2026, 10, 31, 22, 59, tzinfo=UTC),  # 31 Oct 23:59
                datetime(2026, 10, 31, 23, 0, tzinfo=UTC),  # 1 Nov: not October's
            ),
            start=1,
        ):
            await _seed_case(uow, number, at)
        await uow.commit()

    async with db.reader() as uow:
        found = await uow.exports.daily_counts(
            None, october.start, october.end, offset_spans(october)
        )

    assert found == {
        date(2026, 10, 2): (1, 0),
        date(2026, 10, 25): (1, 1),
        date(2026, 10, 31): (1, 0),
    }


async def _seed_case(uow: UnitOfWork, number: int, at: datetime) -> None:
    if number == 1:
        await uow.org.save_unit(OrgUnit("B", "Berlin", UnitLevel.DISTRICT))
        await uow.org.save_unit(OrgUnit("B-1", "Mitte", UnitLevel.GRID, "B"))
        await uow.categories.save(Category("env", "环境卫生", Role.GRID_WORKER))
    await uow.cases.add(
        Case(
            number=f"2026-{number:06d}",
            kind=CaseKind.ISSUE,
            category_code="env",
            text="x",
            reporter_id=None,
            grid_code="B-1",
            created_at=at,
            status=CaseStatus.RESOLVED if number == 2 else CaseStatus.SUBMITTED,
            level=CaseLevel.GRID,
            unit_code="B-1",
            resolved_at=at if number == 2 else None,
        )
    )
