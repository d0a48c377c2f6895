"""The PNG of /chart: cases received and resolved per day over the period, and the
breakdown by category, titled with the unit and the period, CHART_SIZE pixels.

matplotlib's object API on the Agg canvas, never pyplot: no global figure state, so a
chart can be drawn on a worker thread while the event loop goes on. Synchronous and
CPU-bound: the use case runs it off the event loop.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from gridbot.domain.exports import DayCount
from gridbot.services.exports.fonts import cjk_family

CHART_SIZE = (1200, 800)  # pixels: what Telegram shows of a photo without cropping it
DPI = 100
BARS_UP_TO_DAYS = 62  # longer periods are drawn as lines
MOST_CATEGORIES = 12
MOST_DAY_TICKS = 16
RECEIVED_COLOUR, RESOLVED_COLOUR = "#1f77b4", "#2ca02c"


class FontAt(Protocol):
    """The chart's fonts at a size."""

    def __call__(self, size: float) -> FontProperties: ...


@dataclass(frozen=True)
class CategoryBar:
    name: str
    received: int
    resolved: int


@dataclass(frozen=True)
class ChartWords:
    """Every text of the chart, translated."""

    title: str
    as_of: str
    per_day: str
    by_category: str
    received: str
    resolved: str
    cases: str
    nothing: str  # neither received nor resolved
    none_received: str


def draw_chart(
    words: ChartWords, days: Sequence[DayCount], categories: Sequence[CategoryBar]
) -> bytes:
    """The chart as PNG bytes, exactly CHART_SIZE."""
    family = cjk_family()
    fonts = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]

    def font(size: float) -> FontProperties:
        return FontProperties(family=fonts, size=size)

    width, height = CHART_SIZE
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, height_ratios=[3, 2])
    figure.suptitle(words.title, fontproperties=font(18))
    _per_day(top, words, days, font)
    _by_category(bottom, words, categories, font)
    figure.text(0.99, 0.005, words.as_of, ha="right", va="bottom", fontproperties=font(9))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _per_day(axes: Axes, words: ChartWords, days: Sequence[DayCount], font: FontAt) -> None:
    axes.set_title(words.per_day, fontproperties=font(13), loc="left")
    where = list(range(len(days)))
    received = [d.received for d in days]
    resolved = [d.resolved for d in days]
    if len(days) <= BARS_UP_TO_DAYS:
        axes.bar(
            [x - 0.2 for x in where], received, 0.4, label=words.received, color=RECEIVED_COLOUR
        )
        axes.bar(
            [x + 0.2 for x in where], resolved, 0.4, label=words.resolved, color=RESOLVED_COLOUR
        )
        axes.set_xlim(-0.7, len(days) - 0.3)
    else:
        axes.plot(where, received, label=words.received, color=RECEIVED_COLOUR)
        axes.plot(where, resolved, label=words.resolved, color=RESOLVED_COLOUR)
        axes.set_xlim(0, len(days) - 1)
    step = max(1, -(-len(days) // MOST_DAY_TICKS))
    ticks = where[::step]
    axes.set_xticks(ticks, labels=[days[i].day.strftime("%m-%d") for i in ticks])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(words.cases, fontproperties=font(11))
    axes.set_ylim(bottom=0, top=max([*received, *resolved, 1]) * 1.15)
    axes.legend(prop=font(11), loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False)
    axes.grid(axis="y", alpha=0.3)
    _ticks(axes, font(10))
    if not any(received) and not any(resolved):
        _nothing(axes, words.nothing, font)


def _by_category(
    axes: Axes, words: ChartWords, categories: Sequence[CategoryBar], font: FontAt
) -> None:
    axes.set_title(words.by_category, fontproperties=font(13), loc="left")
    shown = sorted(categories, key=lambda c: -c.received)[:MOST_CATEGORIES][::-1]
    if not shown:
        axes.set_yticks([])
        axes.set_xticks([])
        _nothing(axes, words.none_received, font)
        return
    rows = range(len(shown))
    axes.barh([r + 0.2 for r in rows], [c.received for c in shown], 0.4, color=RECEIVED_COLOUR)
    axes.barh([r - 0.2 for r in rows], [c.resolved for c in shown], 0.4, color=RESOLVED_COLOUR)
    axes.set_yticks(list(rows), labels=[c.name for c in shown])
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(words.cases, fontproperties=font(11))
    axes.grid(axis="x", alpha=0.3)
    for row, category in zip(rows, shown, strict=True):
        axes.text(category.received, row + 0.2, f" {category.received}", va="center",
                  fontproperties=font(9))  # fmt: skip
    _ticks(axes, font(11))


def _ticks(axes: Axes, font: FontProperties) -> None:
    for label in (*axes.get_xticklabels(), *axes.get_yticklabels()):
        label.set_fontproperties(font)


def _nothing(axes: Axes, text: str, font: FontAt) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes,
              fontproperties=font(14), color="#777777")  # fmt: skip
