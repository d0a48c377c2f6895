"""/export and /chart (docs/exports.md): a supervisor's unit over a period as an XLSX
workbook (summary and cases, streamed) or a PNG chart (per day and by category), built
on the statistics of ``gridbot.services.stats``."""

from gridbot.services.exports.asked import ChartOf, ExportOf
from gridbot.services.exports.chart import CHART_SIZE
from gridbot.services.exports.files import (
    XLSX,
    ChartFile,
    MadeFile,
    WorkbookFile,
    export_workbook,
    file_name,
    unit_chart,
)

__all__ = [
    "CHART_SIZE",
    "XLSX",
    "ChartFile",
    "ChartOf",
    "ExportOf",
    "MadeFile",
    "WorkbookFile",
    "export_workbook",
    "file_name",
    "unit_chart",
]
