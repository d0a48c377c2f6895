"""What the /export and /chart handlers read from the command (period and unit in either
order, a unit code in any case) and the captions under the files: within Telegram's 1024
characters, the cap said when it applies, in both languages."""

from __future__ import annotations

import pytest

from gridbot.bot.templating import Renderer
from gridbot.domain.metrics import Counts, VisitCounts, WishCounts, figures_of, parse_period
from gridbot.domain.org import OrgUnit, Person, Staff, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.handlers.common.period_unit import period_and_unit as asked
from gridbot.services.context import Actor
from gridbot.services.exports import ChartFile, WorkbookFile
from gridbot.services.orgcache import Organisation
from gridbot.services.stats import UnitStats
from stats.town import NOW, TZ

STREET = OrgUnit("DL-WX", "万新街道", UnitLevel.STREET, "DL", id=2)
ACTOR = Actor(
    Staff(Person("宋涛", id=7)),
    Organisation(1, OrgTree([OrgUnit("DL", "东丽区", UnitLevel.DISTRICT, id=1), STREET])),
)


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (None, (None, None)),
        ("本季度", ("本季度", None)),
        ("DL-WX", (None, "DL-WX")),
        ("dl-wx 2026-10", ("2026-10", "DL-WX")),
        ("2026-10-01..2026-10-15 DL-WX", ("2026-10-01..2026-10-15", "DL-WX")),
        ("XX-9 month", ("XX-9 month", None)),  # not a unit: read (and refused) as a period
    ],
)
def test_the_words_after_the_command(args: str | None, wanted: tuple[str | None, ...]) -> None:
    assert asked(ACTOR, args) == wanted


def test_a_stranger_s_words_are_all_period() -> None:
    assert asked(None, "DL-WX month") == ("DL-WX month", None)


def made(received: int, limit: int = 100_000) -> WorkbookFile:
    period = parse_period("2026-10-01..2026-10-15", NOW, TZ)
    stats = UnitStats(
        STREET, period, figures_of(Counts(received=received, resolved=7, overdue=2)), (), (),
        WishCounts(), VisitCounts(), NOW,
    )  # fmt: skip
    return WorkbookFile("gridbot-万新街道-x.xlsx", b"", STREET, period, stats, 100, limit)


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_captions_stay_within_1024_characters_and_say_the_cap(locale: str) -> None:
    renderer = Renderer()
    capped = renderer.render("exports/workbook.html.j2", locale, made=made(123_456))
    plain = renderer.render("exports/workbook.html.j2", locale, made=made(12))
    chart_file = made(12)
    chart = renderer.render(
        "exports/chart.html.j2",
        locale,
        made=ChartFile("x.png", b"", STREET, chart_file.period, chart_file.stats),
    )

    assert all(len(text) <= 1024 for text in (capped, plain, chart))
    assert "123,456" in capped and "100,000" in capped and "123,456" not in plain
    if locale == "zh":
        assert plain.startswith("📊 <b>万新街道</b> · 2026-10-01 至 2026-10-15")
        assert "受理 12 · 办结 7 · 超期 2" in plain and "本时段共有 123,456 件事项" in capped
        assert "本时段共受理 12 件" in chart
