"""/export as a use case over the town of tests/stats/town.py (November 2026, now 1
December 10:00 in Shanghai), read back with openpyxl: the sheets, the summary equal to
compute_stats, one row per case of the period in local time, nothing personal anywhere,
the cap on the cases listed, and who may have it (refused before anything is read)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from gridbot.domain.errors import NotBound, PermissionDenied, UnknownUnit, ValidationFailed
from gridbot.domain.metrics import Figures, parse_period
from gridbot.services.context import Context
from gridbot.services.exports import ExportOf, WorkbookFile, export_workbook
from gridbot.services.exports import files as export_files
from gridbot.services.orgcache import OrgCache
from gridbot.services.ports import UnitOfWork
from gridbot.services.stats import UnitStats, compute_stats
from stats.town import NOW, TZ

from .conftest import DISTRICT_SUPERVISOR, PERSONAL, STREET_SUPERVISOR, Town

RESIDENT = 2001  # 李桂兰, no role
SUMMARY_HEAD = ["范围", "代码", "名称", "受理数", "接单数", "办结数", "结案数", "在办数"]
CASE_HEAD = [
    "编号", "类型", "类别", "网格代码", "网格", "状态", "办理层级", "受理时间", "接单时间",
    "办结时间", "结案时间", "响应时限", "办结时限", "评价", "重办次数",
]  # fmt: skip
# DL-WX's cases received in November, by time received (numbers from town.py's order).
NOVEMBER_NUMBERS = [
    "2026-000001",  # A  2 Nov 09:00
    "2026-000007",  # I  3 Nov 10:00
    "2026-000002",  # B  5 Nov 10:00
    "2026-000011",  # J  6 Nov 09:00
    "2026-000012",  # K  7 Nov 09:00
    "2026-000003",  # C 10 Nov 08:00
    "2026-000004",  # D 15 Nov 10:00
    "2026-000900",  # the leak, 18 Nov 00:30
    "2026-000005",  # E 20 Nov 10:00
    "2026-000013",  # L 25 Nov 10:00
    "2026-000006",  # F 30 Nov 23:59:59
]


async def export(town: Town, who: int | None, *args: Any, **kw: Any) -> WorkbookFile:
    actor = await town.actor(who) if who is not None else None
    return await export_workbook(ExportOf(actor, *args, **kw), town.ctx)


def opened(made: WorkbookFile, read_only: bool = True) -> Workbook:
    return load_workbook(io.BytesIO(made.content), read_only=read_only)


def rows_of(book: Workbook, sheet: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]


def summary_table(book: Workbook) -> dict[tuple[str, str], tuple[Any, ...]]:
    """(scope, code) → the figures of that row, from the head row down to the first blank."""
    rows = rows_of(book, "汇总")
    head = next(i for i, row in enumerate(rows) if list(row[:8]) == SUMMARY_HEAD)
    table = {}
    for row in rows[head + 1 :]:
        if not row or row[0] is None:
            break
        table[(row[0], row[1])] = row[3:]
    return table


def expected(f: Figures) -> tuple[Any, ...]:
    c = f.counts
    hours = [None if d is None else round(d.total_seconds() / 3600, 2) for d in
             (f.median_response, f.median_resolution)]  # fmt: skip
    return (
        c.received, c.accepted, c.resolved, c.closed, c.open, c.overdue, c.rejected,
        c.cancelled, f.response_rate, f.resolution_rate, f.satisfaction_rate, f.on_time_rate,
        f.in_grid_rate, f.reopen_rate, f.unrated_share, *hours,
    )  # fmt: skip


def same(found: tuple[Any, ...], wanted: tuple[Any, ...]) -> bool:
    return len(found) == len(wanted) and all(
        (a is None and b is None) or (a is not None and b is not None and a == pytest.approx(b))
        for a, b in zip(found, wanted, strict=True)
    )


async def stats_of(town: Town, code: str) -> UnitStats:
    async with town.db.reader() as uow:
        org = await OrgCache().current(uow)
        period = parse_period("2026-11", NOW, TZ)
        return await compute_stats(uow, org, org.tree.get(code), period, NOW)


def local(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second)


async def test_the_summary_holds_the_figures_of_compute_stats(town: Town) -> None:
    made = await export(town, STREET_SUPERVISOR, "2026-11")

    assert made.file_name == "gridbot-万新街道-2026-11.xlsx"
    book = opened(made)
    assert book.sheetnames == ["汇总", "事项"]
    rows = rows_of(book, "汇总")
    assert (
        rows[0][0] == "万新街道 · 2026-11" and rows[1][0] == "截至 2026-12-01 10:00 (Asia/Shanghai)"
    )
    stats = await stats_of(town, "DL-WX")
    table = summary_table(book)
    assert list(table) == [
        ("合计", "DL-WX"),
        ("下级单位", "DL-WX-LY"),
        ("下级单位", "DL-WX-ZB"),
        ("类别", "env"),
        ("类别", "safety"),
    ]
    assert same(table[("合计", "DL-WX")], expected(stats.figures))
    for child in stats.children:
        assert same(table[("下级单位", child.unit.code)], expected(child.figures))
    for code, _, figures in stats.by_category:
        assert same(table[("类别", code)], expected(figures))
    assert stats.figures.counts.received == 11 and stats.wishes.posted == 3
    labelled = {row[0]: row[2] for row in rows if row and row[0] and len(row) > 2}
    assert labelled["微心愿发布"] == 3 and labelled["回访逾期"] == 1
    assert any(str(row[0]).startswith("响应率：") for row in rows if row)


async def test_one_row_per_case_of_the_period_in_local_time(town: Town) -> None:
    made = await export(town, STREET_SUPERVISOR, "2026-11")

    rows = rows_of(opened(made), "事项")
    assert rows[0][0] == "2026-11 受理的诉求和隐患，每件一行；时间为 Asia/Shanghai 时间。"
    assert list(rows[1]) == CASE_HEAD
    cases = {row[0]: row for row in rows[2:]}
    assert [row[0] for row in rows[2:]] == NOVEMBER_NUMBERS
    assert made.listed == 11 and not made.capped
    assert cases["2026-000001"] == (  # A
        "2026-000001", "诉求", "环境卫生", "DL-WX-LY-01", "临月里第一网格", "已结案", "网格",
        local(11, 2, 9), local(11, 2, 9, 30), local(11, 3, 9), local(11, 3, 12),
        local(11, 2, 11), local(11, 4, 23, 59, 59), "满意", 0,
    )  # fmt: skip
    b, k, f = cases["2026-000002"], cases["2026-000012"], cases["2026-000006"]
    assert (b[5], b[6], b[13], b[14]) == ("已结案", "社区", "满意", 1)  # 不满意, then 满意
    assert (k[1], k[2], k[6], k[13]) == ("隐患", "安全隐患", "街道", "基本满意")
    assert f[7] == local(11, 30, 23, 59, 59) and f[8:11] == (None, None, None)
    assert cases["2026-000900"][7] == local(11, 18, 0, 30)
    styled = opened(made, read_only=False)["事项"]
    assert styled["H3"].is_date and styled["H3"].number_format == "yyyy-mm-dd hh:mm"


async def test_no_name_phone_address_or_case_text_is_in_any_cell(town: Town) -> None:
    made = await export(town, DISTRICT_SUPERVISOR, "2026-11")

    book = opened(made)
    cells = [str(v) for name in book.sheetnames for row in rows_of(book, name) for v in row if v]
    assert len(cells) > 200 and "2026-000900" in cells  # the leak's row is there
    assert [text for text in cells if any(word in text for word in PERSONAL)] == []


async def test_the_cases_listed_are_capped_with_a_note_in_the_file(
    town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_files, "EXPORT_ROW_LIMIT", 4)
    monkeypatch.setattr(export_files, "EXPORT_BATCH", 3)  # two batches

    made = await export(town, STREET_SUPERVISOR, "2026-11")

    assert (made.listed, made.received, made.limit, made.capped) == (4, 11, 4, True)
    book = opened(made)
    cases = rows_of(book, "事项")
    assert [row[0] for row in cases[2:]] == NOVEMBER_NUMBERS[:4]
    note = "事项表只列出按受理时间最早的 4 件（共 11 件）"
    assert note in cases[0][0] and note in rows_of(book, "汇总")[2][0]
    assert summary_table(book)[("合计", "DL-WX")][0] == 11  # the figures count them all


async def test_english_when_the_reader_reads_english(town: Town) -> None:
    made = await export(town, STREET_SUPERVISOR, "2026-11", locale="en")

    book = opened(made)
    assert book.sheetnames == ["Summary", "Cases"]
    assert rows_of(book, "Cases")[1][:3] == ("No.", "Kind", "Category")
    assert rows_of(book, "Cases")[2][1] == "Issue"


async def test_a_district_supervisor_gets_the_district_and_may_name_a_unit_below(
    town: Town,
) -> None:
    district = await export(town, DISTRICT_SUPERVISOR, "2026-11")
    grid = await export(town, DISTRICT_SUPERVISOR, "2026-11", "DL-WX-ZB-01")

    assert district.unit.code == "DL" and district.received == 13
    assert [code for _, code in summary_table(opened(district))][:3] == ["DL", "DL-HP", "DL-WX"]
    assert grid.file_name == "gridbot-詹滨里第一网格-2026-11.xlsx"
    assert [row[0] for row in rows_of(opened(grid), "事项")[2:]] == [
        "2026-000011", "2026-000012", "2026-000013",
    ]  # fmt: skip


def counting_reads(ctx: Context) -> tuple[Context, list[int]]:
    opened: list[int] = []

    def reading() -> UnitOfWork:
        opened.append(1)
        return ctx.reading()

    return replace(ctx, reading=reading), opened


@pytest.mark.parametrize(
    ("who", "period", "unit", "refusal", "details"),
    [
        (RESIDENT, None, None, PermissionDenied, {"action": "export"}),
        (STREET_SUPERVISOR, None, "DL", PermissionDenied, {"action": "export"}),
        (STREET_SUPERVISOR, None, "DL-HP-A-01", PermissionDenied, {"action": "export"}),
        (STREET_SUPERVISOR, None, "XX-1", UnknownUnit, {"unit": "XX-1"}),
        (STREET_SUPERVISOR, "2026-13", None, ValidationFailed, {"code": "period", "use": "export"}),
        (None, None, None, NotBound, {}),
    ],
)
async def test_refusals_come_before_anything_is_read(
    town: Town,
    who: int | None,
    period: str | None,
    unit: str | None,
    refusal: type[Exception],
    details: dict[str, str],
) -> None:
    ctx, reads = counting_reads(town.ctx)
    actor = await town.actor(who) if who is not None else None

    with pytest.raises(refusal) as raised:
        await export_workbook(ExportOf(actor, period, unit), ctx)

    assert reads == []
    found = getattr(raised.value, "details", {})
    assert {key: found.get(key) for key in details} == details


async def test_a_range_period_names_the_file(town: Town) -> None:
    made = await export(town, STREET_SUPERVISOR, "2026-11-01..2026-11-05")

    assert made.file_name == "gridbot-万新街道-2026-11-01..2026-11-05.xlsx"
    assert [row[0] for row in rows_of(opened(made), "事项")[2:]] == NOVEMBER_NUMBERS[:3]
    assert made.stats.now == NOW and made.period.end - made.period.start == timedelta(days=5)
