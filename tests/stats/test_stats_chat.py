"""What the /stats handler reads from the command and puts under the message: the words
after /stats in either order, the period row, a page of child units with paging, the way
back up only when it is offered, and callback data within Telegram's 64 bytes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gridbot.domain.metrics import Counts, VisitCounts, WishCounts, figures_of, parse_period
from gridbot.domain.org import OrgUnit, Person, Staff, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.handlers.common.callbacks import StatsCallback
from gridbot.handlers.stats.figures import stats_request
from gridbot.handlers.stats.keyboards import PAGE_SIZE, pages_of, stats_keyboard
from gridbot.services.context import Actor
from gridbot.services.orgcache import Organisation
from gridbot.services.stats import ChildFigures, StatsOf, UnitStats

from .town import TZ

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
DISTRICT = OrgUnit("DL", "东丽区", UnitLevel.DISTRICT, id=1)
STREETS = [
    OrgUnit(f"DL-S{n:02d}", f"第{n}街道", UnitLevel.STREET, "DL", id=100 + n) for n in range(1, 12)
]


def actor() -> Actor:
    tree = OrgTree([DISTRICT, *STREETS])
    return Actor(Staff(Person("唐海", id=7)), Organisation(1, tree))


def t(msgid: str, /, **values: Any) -> str:
    return msgid % values if values else msgid


def stats(parent: OrgUnit | None = None, period: str = "2026-10-01..2026-10-15") -> UnitStats:
    empty = figures_of(Counts())
    return UnitStats(
        unit=DISTRICT,
        period=parse_period(period, NOW, TZ),
        figures=empty,
        by_category=(),
        children=tuple(ChildFigures(s, empty) for s in STREETS),
        wishes=WishCounts(),
        visits=VisitCounts(),
        now=NOW,
        parent=parent,
    )


def test_the_words_after_stats_are_a_period_and_a_unit_in_either_order() -> None:
    who = actor()
    assert stats_request(who, None) == StatsOf(who)
    assert stats_request(who, "  ") == StatsOf(who)
    assert stats_request(who, "本周") == StatsOf(who, "本周")
    assert stats_request(who, "DL-S03") == StatsOf(who, None, "DL-S03")
    assert stats_request(who, "dl-s03 2026-10") == StatsOf(who, "2026-10", "DL-S03")
    assert stats_request(who, "2026-10 DL-S03") == StatsOf(who, "2026-10", "DL-S03")
    # An unknown code is no unit: it is read as (part of) the period, and refused as one.
    assert stats_request(who, "month XX-1") == StatsOf(who, "month XX-1")
    assert stats_request(None, "month") == StatsOf(None, "month")


def buttons(markup: Any) -> list[list[tuple[str, StatsCallback]]]:
    return [
        [(b.text, StatsCallback.unpack(b.callback_data)) for b in row]
        for row in markup.inline_keyboard
    ]


def test_a_row_of_periods_then_a_page_of_child_units_and_paging() -> None:
    shown = stats()
    assert pages_of(shown) == 2 and PAGE_SIZE == 8

    first = buttons(stats_keyboard(shown, 0, 2, t, "zh"))
    assert [(label, data.period) for label, data in first[0]] == [
        ("Today", "today"),
        ("This week", "week"),
        ("This month", "month"),
        ("This quarter", "quarter"),
    ]
    children = [data for row in first[1:5] for _, data in row]
    assert [d.unit for d in children] == [s.id for s in STREETS[:8]]
    assert {d.period for d in children} == {"2026-10-01..2026-10-15"}  # the period shown
    assert [(label, data.page) for label, data in first[5]] == [("Next »", 1)]
    assert len(first) == 6  # no way up from the district

    second = buttons(stats_keyboard(shown, 1, 2, t, "zh"))
    assert [data.unit for row in second[1:3] for _, data in row] == [s.id for s in STREETS[8:]]
    assert [(label, data.page) for label, data in second[-1]] == [("« Previous", 0)]


def test_the_way_up_is_offered_only_when_the_use_case_offers_it() -> None:
    shown = stats(parent=OrgUnit("XX", "上级", UnitLevel.DISTRICT, id=99))
    label, data = buttons(stats_keyboard(shown, 1, 2, t, "zh"))[-1][0]
    assert label == "⬆ Back to 上级" and data.unit == 99 and data.page == 0


def test_the_longest_callback_data_fits_in_64_bytes() -> None:
    longest = StatsCallback(period="2026-10-01..2026-10-15", unit=2**31 - 1, page=999).pack()
    assert len(longest.encode()) <= 64
    for row in stats_keyboard(stats(), 1, 2, t, "zh").inline_keyboard:
        for button in row:
            assert button.callback_data is not None and len(button.callback_data.encode()) <= 64
