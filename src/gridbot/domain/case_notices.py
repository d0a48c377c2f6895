"""Who hears about a case, and with which template: the fan-out of every status change.

``announce`` is the one place that tells the reporter and the case's group about a change;
the tables below say, per action, which template each of them gets. Group posts carry the
case number, category, status and a short, masked summary: never a name, phone or address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from gridbot.domain.case import Case, CaseEvent
from gridbot.domain.case_common import zone
from gridbot.domain.lifecycle import CaseAction
from gridbot.domain.notices import Button, Keyboard, Notifier, case_callback
from gridbot.domain.ports import UnitOfWork

A = CaseAction
SUMMARY_LENGTH = 60
_DIGIT_RUNS = re.compile(r"\d[\d\s-]{5,}\d")  # phone numbers, ids, door codes


def N_(msgid: str) -> str:
    """Marks a button label for the catalogs; the notifier translates it per recipient."""
    return msgid


def public_summary(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """A short, single-line version of a resident's text for a group: long digit runs
    (phone numbers and the like) are masked, and it is cut at ``limit`` characters."""
    line = " ".join(_DIGIT_RUNS.sub("***", text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def follow_button(case: Case) -> Button:
    return Button(N_("Follow in private chat"), start_payload=f"c_{case.number}")


def _case_id(case: Case) -> int:
    if case.id is None:
        raise ValueError("a case must be saved before anyone is told about it")
    return case.id


def assignee_keyboard(case: Case) -> Keyboard:
    cid = _case_id(case)
    return Keyboard.of(
        [Button(N_("Accept"), case_callback("accept", cid))],
        [
            Button(N_("Transfer"), case_callback("transfer", cid)),
            Button(N_("Escalate"), case_callback("escalate", cid)),
            Button(N_("Return"), case_callback("reject", cid)),
        ],
    )


def approver_keyboard(case: Case) -> Keyboard:
    cid = _case_id(case)
    return Keyboard.of(
        [
            Button(N_("Approve"), case_callback("approve", cid)),
            Button(N_("Reject"), case_callback("reject", cid)),
        ]
    )


def _confirm_keyboard(case: Case) -> Keyboard:
    return Keyboard.of([Button(N_("Confirm"), case_callback("confirm", _case_id(case)))])


def _posted_keyboard(case: Case) -> Keyboard:
    return Keyboard.of(
        [Button(N_("Same problem here"), case_callback("affected", _case_id(case)))],
        [follow_button(case)],
    )


def _follow_keyboard(case: Case) -> Keyboard:
    return Keyboard.of([follow_button(case)])


@dataclass(frozen=True)
class Fanout:
    """What the reporter and the case's group get for one action (None: nothing)."""

    reporter: str | None = None
    group: str | None = None
    reporter_keyboard: Callable[[Case], Keyboard] | None = None
    group_keyboard: Callable[[Case], Keyboard] | None = _follow_keyboard
    # The reporter is not told what they did themselves, except that their report arrived.
    even_to_reporter: bool = False


UPDATE = "notices/case_update.html.j2"
GROUP_UPDATE = "notices/group_case_update.html.j2"
_TO_BOTH = Fanout(UPDATE, GROUP_UPDATE)
_TO_REPORTER = Fanout(UPDATE)

ISSUE_FANOUT: Mapping[str, Fanout] = {
    A.SUBMIT: Fanout(
        "notices/case_submitted.html.j2",
        "notices/group_case_posted.html.j2",
        group_keyboard=_posted_keyboard,
        even_to_reporter=True,
    ),
    A.ACCEPT: _TO_BOTH,
    A.REPORT_FOR_DUTY: _TO_BOTH,
    A.PROGRESS: _TO_REPORTER,
    A.RESOLVE: Fanout(UPDATE, GROUP_UPDATE),
    A.ESCALATE: _TO_BOTH,
    A.WHISTLE: _TO_BOTH,
    A.TRANSFER: _TO_REPORTER,
    A.REJECT: _TO_BOTH,
    A.CANCEL: _TO_BOTH,
    A.CLOSE: _TO_BOTH,
    A.RATE_SATISFIED: Fanout(group=GROUP_UPDATE),
    A.RATE_BASIC: Fanout(group=GROUP_UPDATE),
    A.RATE_UNSATISFIED: Fanout(group=GROUP_UPDATE),
    A.FOLLOW_UP_RECURRED: _TO_BOTH,
}
WISH_FANOUT: Mapping[str, Fanout] = {
    A.SUBMIT: Fanout("notices/wish_submitted.html.j2", even_to_reporter=True),
    A.APPROVE: _TO_BOTH,
    A.REJECT: _TO_REPORTER,
    A.CLAIM: _TO_BOTH,
    A.RELEASE: _TO_REPORTER,
    A.EXPIRE_CLAIM: _TO_REPORTER,
    A.FULFIL: Fanout(UPDATE, GROUP_UPDATE, reporter_keyboard=_confirm_keyboard),
    A.CONFIRM: Fanout(group=GROUP_UPDATE),
    A.CANCEL: _TO_REPORTER,
}


def fanout_of(case: Case, event: CaseEvent) -> Fanout:
    table = WISH_FANOUT if case.is_wish else ISSUE_FANOUT
    return table.get(event.action, Fanout(group_keyboard=None))


async def announce(
    uow: UnitOfWork, notifier: Notifier, case: Case, event: CaseEvent, **context: Any
) -> None:
    """Tell the reporter (unless they made the change) and, for a public case, its source
    group about ``event``. Extra ``context`` reaches the reporter's template only."""
    fanout = fanout_of(case, event)
    category = await uow.categories.get(case.category_code)
    reporter = case.reporter_id
    by_reporter = reporter is not None and event.actor_id == reporter
    if fanout.reporter and reporter is not None and (fanout.even_to_reporter or not by_reporter):
        keyboard = fanout.reporter_keyboard(case) if fanout.reporter_keyboard else None
        await notifier.to_person(
            uow,
            reporter,
            fanout.reporter,
            keyboard=keyboard,
            **{"case": case, "event": event, "category": category, **context},
        )
    if fanout.group and case.public and case.source_chat_id is not None:
        binding = await uow.bindings.get(case.source_chat_id)
        if binding is not None and binding.active:
            keyboard = fanout.group_keyboard(case) if fanout.group_keyboard else None
            # Only what the group may see: no reporter, no note (it may name people).
            await notifier.to_chat(
                uow,
                case.source_chat_id,
                fanout.group,
                keyboard=keyboard,
                number=case.number,
                status=case.status.value,
                action=event.action,
                category=category,
                summary=public_summary(case.text),
                affected=case.affected_count,
            )


def local(at: datetime | None, tz: tzinfo | str) -> datetime | None:
    """A UTC datetime in the local zone (None stays None), for templates."""
    return None if at is None else at.astimezone(zone(tz))
