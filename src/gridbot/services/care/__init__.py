"""Care visits (走访) to key residents (重点人群): the grid leader's register of care
persons, their workers' visits and what those raise, the reminders of visits that fall
due, and what is due (for /visits and the morning brief)."""

from gridbot.services.care.board import (
    CareBoard,
    CareBoardOf,
    CareCard,
    CareEntry,
    OpenCarePerson,
    care_board,
    care_card,
)
from gridbot.services.care.messages import care_callback
from gridbot.services.care.registry import (
    AddCarePerson,
    CareTeam,
    CareTeamOf,
    ChangeInterval,
    ReassignCare,
    RemoveCarePerson,
    add_care_person,
    care_team,
    change_interval,
    reassign_care,
    remove_care_person,
)
from gridbot.services.care.reminders import CareDue, care_due, on_care_visit_due
from gridbot.services.care.visits import (
    RaiseFromVisit,
    RaiseStart,
    RecordVisit,
    StartRaise,
    StartVisit,
    VisitRecorded,
    raise_from_visit,
    record_visit,
    start_raise,
    start_visit,
)

__all__ = [
    "AddCarePerson",
    "CareBoard",
    "CareBoardOf",
    "CareCard",
    "CareDue",
    "CareEntry",
    "CareTeam",
    "CareTeamOf",
    "ChangeInterval",
    "OpenCarePerson",
    "RaiseFromVisit",
    "RaiseStart",
    "ReassignCare",
    "RecordVisit",
    "RemoveCarePerson",
    "StartRaise",
    "StartVisit",
    "VisitRecorded",
    "add_care_person",
    "care_board",
    "care_callback",
    "care_card",
    "care_due",
    "care_team",
    "change_interval",
    "on_care_visit_due",
    "raise_from_visit",
    "reassign_care",
    "record_visit",
    "remove_care_person",
    "start_raise",
    "start_visit",
]
