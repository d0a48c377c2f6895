"""Patrols (巡查) of a grid worker, the hazards found on them, and the daily reminders."""

from gridbot.services.patrol.patrols import (
    EndPatrol,
    OpenDesk,
    PatrolDesk,
    ReportHazard,
    StartPatrol,
    end_patrol,
    patrol_desk,
    report_hazard,
    start_patrol,
)
from gridbot.services.patrol.reminders import (
    ensure_patrol_reminders,
    on_patrol_reminder,
    remind_grid_workers,
)

__all__ = [
    "EndPatrol",
    "OpenDesk",
    "PatrolDesk",
    "ReportHazard",
    "StartPatrol",
    "end_patrol",
    "ensure_patrol_reminders",
    "on_patrol_reminder",
    "patrol_desk",
    "remind_grid_workers",
    "report_hazard",
    "start_patrol",
]
