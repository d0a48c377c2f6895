"""Following one's cases: the list, one case with its timeline, adding information,
withdrawing, and neighbours saying they have the same problem."""

from gridbot.services.cases.updates import (
    AddInfo,
    Affected,
    CheckOwnCase,
    MarkAffected,
    Withdraw,
    add_info,
    check_own_case,
    is_wish,
    mark_affected,
    withdraw,
)
from gridbot.services.cases.views import CaseList, CaseView, MyCases, ViewCase, case_view, my_cases

__all__ = [
    "AddInfo",
    "Affected",
    "CaseList",
    "CaseView",
    "CheckOwnCase",
    "MarkAffected",
    "MyCases",
    "ViewCase",
    "Withdraw",
    "add_info",
    "case_view",
    "check_own_case",
    "is_wish",
    "mark_affected",
    "my_cases",
    "withdraw",
]
