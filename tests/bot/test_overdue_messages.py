"""The /overdue list and the refusals of 督办 read clearly in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gridbot.bot.templating import Renderer
from gridbot.domain.case import Case, CaseKind, CaseLevel, CaseStatus
from gridbot.domain.org import Category, OrgUnit, UnitLevel
from gridbot.services.overdue import OverdueBoard, OverdueEntry

RENDERER = Renderer()
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
STREET = OrgUnit("DL-WX", "万新街道", UnitLevel.STREET, "DL")
GRID = OrgUnit("DL-WX-LY-01", "临月里第一网格", UnitLevel.GRID, "DL-WX-LY")


def entry(number: str, late: timedelta, assignee: str | None, urges: int) -> OverdueEntry:
    case = Case(
        number=number,
        kind=CaseKind.ISSUE,
        category_code="env",
        text="垃圾",
        reporter_id=1,
        grid_code=GRID.code,
        created_at=NOW - timedelta(days=3),
        status=CaseStatus.IN_PROGRESS,
        level=CaseLevel.COMMUNITY,
        id=int(number[-1]),
    )
    category = Category("env", "环境卫生", name_en="Sanitation")
    return OverdueEntry(case, category, GRID.name, assignee, late, urges, assignee is not None)


def render(locale: str, found: OverdueBoard) -> str:
    return RENDERER.render("overdue/board.html.j2", locale, board=found, page_size=10)


def test_each_case_says_where_who_how_late_and_how_often_urged() -> None:
    found = OverdueBoard(
        STREET,
        (
            entry("2026-000001", timedelta(days=2, hours=3, minutes=5), "张伟", 2),
            entry("2026-000002", timedelta(hours=5, minutes=20), None, 0),
            entry("2026-000003", timedelta(minutes=12), "李娜", 1),
        ),
        total=13,
        page=1,
        pages=2,
        now=NOW,
        others=(GRID,),
    )

    zh = render("zh", found)

    assert zh.startswith("<b>万新街道 超时事项</b>") and "共 13 件超时" in zh
    assert "<b>11. 2026-000001</b> · 环境卫生 · 临月里第一网格" in zh
    assert "层级：社区 · 承办人：张伟 · 办理中" in zh
    assert "超时 2 天 3 小时 · 已督办 2 次" in zh
    assert "无人承办" in zh and "超时 5 小时 20 分钟 · 已督办 0 次" in zh
    assert "超时 12 分钟" in zh and "第 2 / 2 页" in zh
    assert "DL-WX-LY-01" in zh and "/overdue" in zh
    en = render("en", found)
    assert "Overdue cases of 万新街道" in en and "Sanitation" in en
    assert "Overdue by 2 d 3 h" in en and "Times urged: 2" in en and "Nobody holds it" in en


def test_an_empty_list_says_nothing_is_overdue() -> None:
    found = OverdueBoard(GRID, (), total=0, page=0, pages=1, now=NOW)
    assert "目前没有超时事项" in render("zh", found)
    assert "Nothing is overdue" in render("en", found)


@pytest.mark.parametrize(
    ("code", "details", "zh", "en"),
    [
        (
            "urged_recently",
            {"number": "2026-000001", "hours": 2, "minutes": 30},
            "您刚督办过事项 2026-000001。同一事项 2 小时内督办一次即可，本次未重复发送；30 分钟后",
            "again in 30 minutes",
        ),
        ("not_overdue", {"number": "2026-000001"}, "已不再超时", "no longer overdue"),
        ("no_assignee", {"number": "2026-000001", "urge": True}, "无人可督办", "nobody to urge"),
        ("permission_denied", {"action": "view_overdue"}, "仅限督查人员和网格长", "Nothing was"),
    ],
)
def test_each_refusal_of_an_urge_has_its_own_message(
    code: str, details: dict[str, object], zh: str, en: str
) -> None:
    assert zh in RENDERER.render("errors.html.j2", "zh", code=code, details=details)
    assert en in RENDERER.render("errors.html.j2", "en", code=code, details=details)
