"""/export and /chart as use cases: a supervisor's unit over a period as an XLSX workbook
or a PNG chart, built on ``compute_stats`` (docs/metrics.md) and made off the event loop.
Both only read; what they return is a reply to the asker, not a notice."""

from __future__ import annotations

import asyncio
import re
from contextlib import aclosing
from dataclasses import dataclass

from gridbot.domain.exports import (
    EXPORT_BATCH,
    EXPORT_ROW_LIMIT,
    daily_counts,
    offset_spans,
)
from gridbot.domain.metrics import Period
from gridbot.domain.org import OrgUnit
from gridbot.domain.policy import Action
from gridbot.services.context import Context
from gridbot.services.exports.asked import ChartOf, ExportOf, asked_period, asked_unit
from gridbot.services.exports.chart import CHART_SIZE, CategoryBar, ChartWords, draw_chart
from gridbot.services.exports.labels import Labels
from gridbot.services.exports.workbook import CasesWorkbook
from gridbot.services.notices import N_
from gridbot.services.stats import UnitStats, compute_stats, scope_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')  # not in a file name on any system


@dataclass(frozen=True)
class MadeFile:
    """A file made for the asker: its name and bytes, and what it shows."""

    file_name: str
    content: bytes
    unit: OrgUnit
    period: Period
    stats: UnitStats


@dataclass(frozen=True)
class WorkbookFile(MadeFile):
    """``listed``: the cases on the cases sheet; ``limit``: the most it may list."""

    listed: int = 0
    limit: int = EXPORT_ROW_LIMIT

    @property
    def received(self) -> int:
        return self.stats.figures.counts.received

    @property
    def capped(self) -> bool:
        return self.received > self.limit


@dataclass(frozen=True)
class ChartFile(MadeFile):
    size: tuple[int, int] = CHART_SIZE


def file_name(unit: OrgUnit, period: Period, extension: str) -> str:
    """``gridbot-万新街道-2026-11.xlsx``: Telegram keeps a UTF-8 name as it is."""
    name = _UNSAFE.sub("_", unit.name).strip("_") or unit.code
    return f"gridbot-{name}-{period.label}.{extension}"


async def export_workbook(cmd: ExportOf, ctx: Context) -> WorkbookFile:
    """The workbook of a unit over a period: the summary, and the cases received, at most
    EXPORT_ROW_LIMIT of them, streamed from the database into the sheet in batches.
    NotBound, PermissionDenied, UnknownUnit, ValidationFailed (period) before anything is
    read."""
    actor, unit = asked_unit(cmd.actor, cmd.unit_code, Action.EXPORT)
    now = ctx.clock.now()
    period = asked_period(cmd.period, now, ctx.tz, "export")
    labels = Labels(cmd.locale, ctx.notices.renderer.gettext)
    book = CasesWorkbook(labels, ctx.tz, actor.org)
    async with ctx.reading() as uow:
        stats = await compute_stats(uow, actor.org, unit, period, now)
        await asyncio.to_thread(book.write_summary, stats, EXPORT_ROW_LIMIT)
        lines = uow.exports.case_lines(
            scope_of(actor.tree, unit),
            period.start,
            period.end,
            limit=EXPORT_ROW_LIMIT,
            batch=EXPORT_BATCH,
        )
        async with aclosing(lines) as batches:
            async for batch in batches:
                await asyncio.to_thread(book.add_cases, batch)
    content = await asyncio.to_thread(book.finish)
    name = file_name(unit, period, "xlsx")
    return WorkbookFile(
        name, content, unit, period, stats, listed=book.rows, limit=EXPORT_ROW_LIMIT
    )


async def unit_chart(cmd: ChartOf, ctx: Context) -> ChartFile:
    """The chart of a unit over a period: received and resolved per local day (grouped in
    SQL), and by category. Refusals as ``export_workbook``'s."""
    actor, unit = asked_unit(cmd.actor, cmd.unit_code, Action.VIEW_STATS)
    now = ctx.clock.now()
    period = asked_period(cmd.period, now, ctx.tz, "chart")
    labels = Labels(cmd.locale, ctx.notices.renderer.gettext)
    async with ctx.reading() as uow:
        stats = await compute_stats(uow, actor.org, unit, period, now)
        found = await uow.exports.daily_counts(
            scope_of(actor.tree, unit), period.start, period.end, offset_spans(period)
        )
    bars = [
        CategoryBar(
            labels.category(actor.org.category(code), code),
            figures.counts.received,
            figures.counts.resolved,
        )
        for code, _, figures in stats.by_category
    ]
    words = _chart_words(labels, stats, ctx)
    content = await asyncio.to_thread(draw_chart, words, daily_counts(period, found), bars)
    return ChartFile(file_name(unit, period, "png"), content, unit, period, stats)


def _chart_words(labels: Labels, stats: UnitStats, ctx: Context) -> ChartWords:
    t = labels.t
    at = stats.now.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M")
    return ChartWords(
        title=t(
            N_("%(unit)s · %(period)s"), unit=labels.unit(stats.unit), period=stats.period.label
        ),
        as_of=t(N_("As of %(time)s (%(zone)s)"), time=at, zone=str(ctx.tz)),
        per_day=t(N_("Cases received and resolved per day")),
        by_category=t(N_("By category: received and resolved")),
        received=t(N_("Cases received")),
        resolved=t(N_("Cases resolved")),
        cases=t(N_("Number of cases")),
        nothing=t(N_("No cases in this period")),
        none_received=t(N_("No cases received in this period")),
    )
