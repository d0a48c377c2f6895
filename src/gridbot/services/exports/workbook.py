"""The XLSX of /export, written with openpyxl's write-only workbook: a summary sheet (the
figures of ``compute_stats`` by child unit and by category, with their definitions) and a
cases sheet, one row per case, written batch by batch as the rows arrive from the
database (a written row stays on disk, never in memory). No name, phone, address or case
text goes in: a case line carries none (``domain.exports.CaseLine``).

Everything here is synchronous and CPU-bound: the use case runs it off the event loop.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from gridbot.domain.exports import CaseLine
from gridbot.domain.metrics import Figures
from gridbot.services.exports.labels import (
    CASE_HEADS,
    CASES_SHEET,
    DEFINITIONS,
    FIGURE_HEADS,
    SUMMARY_SHEET,
    Labels,
)
from gridbot.services.notices import N_
from gridbot.services.orgcache import Organisation
from gridbot.services.stats import UnitStats

WHEN = "yyyy-mm-dd hh:mm"
RATE = "0.0%"
HOURS = "0.0"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SUMMARY_WIDTHS = (12, 16, 18) + (10,) * len(FIGURE_HEADS)
CASE_WIDTHS = (14, 8, 12, 16, 18, 10, 10, 17, 17, 17, 17, 17, 17, 10, 8)
_DATE_COLUMNS = 6  # received, accepted, resolved, closed, respond by, resolve by


class CasesWorkbook:
    """``write_summary`` once, then ``add_cases`` for each batch, then ``finish``."""

    def __init__(self, labels: Labels, tz: tzinfo, org: Organisation) -> None:
        self.labels, self.tz, self.org = labels, tz, org
        self.rows = 0  # cases written
        self._book = Workbook(write_only=True)
        self._summary = self._book.create_sheet(labels.t(SUMMARY_SHEET))
        self._cases = self._book.create_sheet(labels.t(CASES_SHEET))
        _widths(self._summary, SUMMARY_WIDTHS)
        _widths(self._cases, CASE_WIDTHS)
        self._cases.freeze_panes = "A3"
        # One styled cell per date column, refilled for each row: a write-only sheet
        # writes a row out when it is appended, and a new cell per value costs a third
        # of the time of a large export.
        self._dates = [self._cell(self._cases, None, WHEN) for _ in range(_DATE_COLUMNS)]

    def write_summary(self, stats: UnitStats, limit: int) -> None:
        """The summary sheet, and the note and head rows of the cases sheet; ``limit``:
        the most cases the cases sheet will list."""
        t, sheet = self.labels.t, self._summary
        received = stats.figures.counts.received
        title = t(
            "%(unit)s · %(period)s", unit=self.labels.unit(stats.unit), period=stats.period.label
        )
        sheet.append([self._cell(sheet, title, font=TITLE)])
        sheet.append([self._as_of(stats.now)])
        note = self.cap_note(received, limit)
        sheet.append([note] if note else [])
        sheet.append([])
        heads = [t(N_("Scope")), t(N_("Code")), t(N_("Name")), *(t(h) for h in FIGURE_HEADS)]
        sheet.append([self._cell(sheet, head, font=BOLD) for head in heads])
        sheet.append(
            self._figures_row(
                t(N_("Total")), stats.unit.code, self.labels.unit(stats.unit), stats.figures
            )
        )
        for child in stats.children:
            sheet.append(
                self._figures_row(
                    t(N_("Unit below")),
                    child.unit.code,
                    self.labels.unit(child.unit),
                    child.figures,
                )
            )
        for code, _, figures in stats.by_category:
            name = self.labels.category(self.org.category(code), code)
            sheet.append(self._figures_row(t(N_("Category")), code, name, figures))
        sheet.append([])
        for label, value in self._wishes_and_visits(stats):
            sheet.append([t(label), None, value])
        sheet.append([])
        sheet.append([self._cell(sheet, t(N_("How the figures are counted")), font=BOLD)])
        for definition in DEFINITIONS:
            sheet.append([t(definition)])
        self._cases_heads(stats, received, limit)

    def add_cases(self, lines: Sequence[CaseLine]) -> None:
        tree, labels = self.org.tree, self.labels
        for line in lines:
            grid = labels.unit(tree.get(line.grid_code)) if line.grid_code in tree else ""
            stamps = (
                line.created_at,
                line.accepted_at,
                line.resolved_at,
                line.closed_at,
                line.respond_by,
                line.resolve_by,
            )
            for cell, stamp in zip(self._dates, stamps, strict=True):
                cell.value = self._local(stamp)
            self._cases.append(
                [
                    line.number,
                    labels.name(line.kind),
                    labels.category(self.org.category(line.category_code), line.category_code),
                    line.grid_code,
                    grid,
                    labels.name(line.status),
                    labels.name(line.level),
                    *self._dates,
                    labels.name(line.rating),
                    line.reopen_count,
                ]
            )
        self.rows += len(lines)

    def finish(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()

    def cap_note(self, received: int, limit: int) -> str | None:
        """What the cases sheet leaves out, when the period holds more than ``limit``."""
        if received <= limit:
            return None
        return self.labels.t(
            N_(
                "The Cases sheet lists the first %(limit)s of the %(total)s cases (by time "
                "received): a chat export holds at most %(limit)s. Choose a shorter period or "
                "a unit below for the others; the figures here count them all."
            ),
            limit=f"{limit:,}",
            total=f"{received:,}",
        )

    def _cases_heads(self, stats: UnitStats, received: int, limit: int) -> None:
        t, sheet = self.labels.t, self._cases
        about = t(
            N_("Issues and hazards received in %(period)s, one row each; times in %(zone)s."),
            period=stats.period.label,
            zone=str(self.tz),
        )
        note = self.cap_note(received, limit)
        sheet.append([f"{about} {note}" if note else about])
        sheet.append([self._cell(sheet, t(head), font=BOLD) for head in CASE_HEADS])

    def _figures_row(self, scope: str, code: str, name: str, f: Figures) -> list[Any]:
        c, sheet = f.counts, self._summary
        counts = (
            c.received,
            c.accepted,
            c.resolved,
            c.closed,
            c.open,
            c.overdue,
            c.rejected,
            c.cancelled,
        )
        rates = (
            f.response_rate,
            f.resolution_rate,
            f.satisfaction_rate,
            f.on_time_rate,
            f.in_grid_rate,
            f.reopen_rate,
            f.unrated_share,
        )
        hours = (_hours(f.median_response), _hours(f.median_resolution))
        return [
            scope,
            code,
            name,
            *counts,
            *(self._cell(sheet, rate, RATE) for rate in rates),
            *(self._cell(sheet, value, HOURS) for value in hours),
        ]

    @staticmethod
    def _wishes_and_visits(stats: UnitStats) -> Iterable[tuple[str, int]]:
        w, v = stats.wishes, stats.visits
        yield N_("Micro-wishes posted"), w.posted
        yield N_("Micro-wishes claimed"), w.claimed
        yield N_("Micro-wishes fulfilled"), w.fulfilled
        yield N_("Follow-up visits due"), v.follow_ups_due
        yield N_("Follow-up visits done"), v.follow_ups_done
        yield N_("Follow-up visits overdue"), v.follow_ups_overdue
        yield N_("Care visits made"), v.care_visits
        yield N_("Care persons overdue now"), v.care_overdue

    def _as_of(self, now: datetime) -> str:
        at = now.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")
        return self.labels.t(N_("As of %(time)s (%(zone)s)"), time=at, zone=str(self.tz))

    def _local(self, at: datetime | None) -> datetime | None:
        """Excel has no time zones: the local wall time, without its zone."""
        return None if at is None else at.astimezone(self.tz).replace(tzinfo=None)

    @staticmethod
    def _cell(
        sheet: Any, value: Any, number_format: str | None = None, font: Font | None = None
    ) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value)
        if number_format is not None:
            cell.number_format = number_format
        if font is not None:
            cell.font = font
        return cell


def _widths(sheet: Any, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _hours(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 2)
