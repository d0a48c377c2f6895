"""Reports: a resident's issue, hazard or micro-wish, from the first step of the draft to
the registered, dispatched case."""

from gridbot.services.reports.entry import (
    ReportsLeft,
    ReportStart,
    StartReport,
    find_report_category,
    report_category,
    reporting_grid,
    reports_left,
    serving_grid,
    start_report,
    start_wish,
)
from gridbot.services.reports.public_line import (
    PreviewPublicLine,
    PublicLine,
    preview_public_line,
)
from gridbot.services.reports.submit import NewReport, NewWish, submit_report, submit_wish

__all__ = [
    "NewReport",
    "NewWish",
    "PreviewPublicLine",
    "PublicLine",
    "ReportStart",
    "ReportsLeft",
    "StartReport",
    "find_report_category",
    "preview_public_line",
    "report_category",
    "reporting_grid",
    "reports_left",
    "serving_grid",
    "start_report",
    "start_wish",
    "submit_report",
    "submit_wish",
]
