"""The case workflow of those who handle cases: the card and its actions, hand-overs up
the chain and to departments, the task list, and the deadline chase."""

from gridbot.services.workflow.cards import (
    CaseCard,
    CaseCommand,
    CheckAction,
    OpenCard,
    check_action,
    open_card,
)
from gridbot.services.workflow.deadlines import on_resolve_deadline, on_respond_deadline
from gridbot.services.workflow.handling import (
    AcceptCase,
    AddProgress,
    ResolveCase,
    ReturnCase,
    UrgeCase,
    accept_case,
    add_progress,
    resolve_case,
    return_case,
    urge_case,
)
from gridbot.services.workflow.moves import (
    EscalateCase,
    TransferCase,
    TransferTarget,
    WhistleCase,
    escalate_case,
    transfer_case,
    transfer_options,
    whistle_case,
    whistle_options,
)
from gridbot.services.workflow.tasks import MyTasks, TaskView, my_tasks

__all__ = [
    "AcceptCase",
    "AddProgress",
    "CaseCard",
    "CaseCommand",
    "CheckAction",
    "EscalateCase",
    "MyTasks",
    "OpenCard",
    "ResolveCase",
    "ReturnCase",
    "TaskView",
    "TransferCase",
    "TransferTarget",
    "UrgeCase",
    "WhistleCase",
    "accept_case",
    "add_progress",
    "check_action",
    "escalate_case",
    "my_tasks",
    "on_resolve_deadline",
    "on_respond_deadline",
    "open_card",
    "resolve_case",
    "return_case",
    "transfer_case",
    "transfer_options",
    "urge_case",
    "whistle_case",
    "whistle_options",
]
