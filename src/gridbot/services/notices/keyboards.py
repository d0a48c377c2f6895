"""Inline keyboards of the notices, as value objects, and the callback format they use.

A ``Button`` label is a gettext msgid (marked with ``N_``), translated for each recipient
when the outbox row is written. Callback strings built here are the wire format of
``gridbot.handlers.common.callbacks`` (aiogram ``CallbackData``: ``prefix:field:field``);
tests/test_callback_formats.py keeps the two identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gridbot.domain.case import Case


def N_(msgid: str) -> str:
    """Marks a message for the catalogs where it is defined; it is translated where shown."""
    return msgid


@dataclass(frozen=True)
class Button:
    """One inline button. Exactly one of ``callback`` (callback_data), ``url`` or
    ``start_payload`` (a deep link into the private chat with the bot) is set."""

    label: str
    callback: str | None = None
    url: str | None = None
    start_payload: str | None = None
    label_values: tuple[tuple[str, Any], ...] = ()  # %(name)s values for the label


@dataclass(frozen=True)
class Keyboard:
    rows: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, *rows: Sequence[Button]) -> Keyboard:
        return cls(tuple(tuple(row) for row in rows if row))


def case_callback(action: str, case_id: int) -> str:
    """Same bytes as ``CaseCallback(action=action, case_id=case_id).pack()``."""
    return f"c:{action}:{case_id}"


def _tap(label: str, action: str, case: Case) -> Button:
    if case.id is None:
        raise ValueError("a case must be saved before anyone is told about it")
    return Button(label, case_callback(action, case.id))


def follow_button(case: Case) -> Button:
    return Button(N_("Follow in private chat"), start_payload=f"c_{case.number}")


def assignee_keyboard(case: Case) -> Keyboard:
    return Keyboard.of(
        [_tap(N_("Accept"), "accept", case)],
        [
            _tap(N_("Transfer"), "transfer", case),
            _tap(N_("Escalate"), "escalate", case),
            _tap(N_("Return"), "reject", case),
        ],
    )


def approver_keyboard(case: Case) -> Keyboard:
    return Keyboard.of([_tap(N_("Approve"), "approve", case), _tap(N_("Reject"), "reject", case)])


def rating_keyboard(case: Case) -> Keyboard:
    """满意 / 基本满意 / 不满意 under what was resolved (or fulfilled)."""
    return Keyboard.of(
        [
            _tap(N_("Satisfied"), "rate_satisfied", case),
            _tap(N_("Basically satisfied"), "rate_basic", case),
        ],
        [_tap(N_("Unsatisfied"), "rate_unsatisfied", case)],
    )


def follow_up_keyboard(case: Case) -> Keyboard:
    """回访正常 / 问题反复 under a follow-up visit that is due."""
    return Keyboard.of(
        [
            _tap(N_("No recurrence"), "follow_up_ok", case),
            _tap(N_("Recurred"), "follow_up_recurred", case),
        ]
    )


def claim_keyboard(case: Case) -> Keyboard:
    return Keyboard.of([_tap(N_("Claim"), "claim", case)])


def fulfil_keyboard(case: Case) -> Keyboard:
    return Keyboard.of([_tap(N_("Fulfilled"), "fulfil", case)])


def open_card_keyboard(case: Case) -> Keyboard:
    return Keyboard.of([_tap(N_("Open the case"), "card", case)])


def posted_keyboard(case: Case) -> Keyboard:
    """Under a public case's first post in its group."""
    return Keyboard.of([_tap(N_("Same problem here"), "affected", case)], [follow_button(case)])


def follow_keyboard(case: Case) -> Keyboard:
    return Keyboard.of([follow_button(case)])


def join_keyboard(join_token: str) -> Keyboard:
    """Under a group's welcome: into the private chat, to join the group's unit."""
    return Keyboard.of(
        [Button(N_("Join my grid in a private chat"), start_payload=f"j_{join_token}")]
    )
