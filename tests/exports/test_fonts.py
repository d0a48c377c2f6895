"""The chart's Chinese font: found among the installed ones (scripts/ensure-cjk-font puts
WenQuanYi Micro Hei there); without any, one warning and the chart still renders."""

from __future__ import annotations

import io
import logging
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from gridbot.domain.exports import DayCount
from gridbot.services.exports import fonts
from gridbot.services.exports.chart import CHART_SIZE, CategoryBar, ChartWords, draw_chart

WORDS = ChartWords("万新街道 · 2026-11", "截至", "每日受理与办结", "按类别", "受理数", "办结数",
                   "件数", "本时段没有事项", "本时段没有受理的事项")  # fmt: skip
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.mark.skipif(not WQY.exists(), reason="fonts-wqy-microhei is not installed")
def test_an_installed_chinese_font_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_found", [])
    assert fonts.cjk_family() == "WenQuanYi Micro Hei"


def test_without_a_chinese_font_one_warning_and_the_chart_still_renders(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fonts, "_found", [])
    monkeypatch.setattr(fonts, "CJK_FAMILIES", ("No Such Font SC",))
    monkeypatch.setattr(fonts, "CJK_FILES", ("nosuchfont",))

    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        assert fonts.cjk_family() is None and fonts.cjk_family() is None
        content = draw_chart(
            WORDS, [DayCount(date(2026, 11, 1), 3, 1)], [CategoryBar("环境", 3, 1)]
        )

    assert [r.levelno for r in caplog.records if r.name == fonts.__name__] == [logging.WARNING]
    assert "no CJK font found" in caplog.records[0].getMessage()
    assert Image.open(io.BytesIO(content)).size == CHART_SIZE
