"""Keyboards of /team and /invite. Labels are translated with ``t``; callback data is typed
(``handlers.common.callbacks``)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from gridbot.domain.invitepicker import InviteStep
from gridbot.domain.org import OrgUnit, Role
from gridbot.handlers.common.callbacks import InviteCallback, TeamCallback
from gridbot.handlers.common.types import Translate
from gridbot.services.notices import N_

PER_ROW = 2
ROLE_LABELS = {
    Role.GRID_WORKER: N_("Grid worker"),
    Role.GRID_LEADER: N_("Grid leader"),
    Role.BRANCH_SECRETARY: N_("Party branch secretary"),
    Role.PARTY_MEMBER: N_("Party member"),
    Role.SERVICE_SPECIALIST: N_("Service specialist"),
    Role.BUILDING_LEADER: N_("Building leader"),
    Role.COMMUNITY_STAFF: N_("Community staff"),
    Role.DISPATCHER: N_("Dispatcher"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.ADMIN: N_("Administrator"),
}


def _step(label: str, step: str, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=label, callback_data=InviteCallback(step=step, value=value).pack()
    )


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]


def grids(found: Sequence[OrgUnit], locale: str) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=g.name_in(locale), callback_data=TeamCallback(grid=g.code).pack()
            )
        ]
        for g in found
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def roles(offered: Sequence[Role], t: Translate) -> InlineKeyboardMarkup:
    buttons = [_step(t(ROLE_LABELS[role]), "role", role.value) for role in offered]
    return InlineKeyboardMarkup(inline_keyboard=[*_pairs(buttons), [_step(t("Cancel"), "cancel")]])


def units(step: InviteStep, t: Translate, locale: str) -> InlineKeyboardMarkup:
    """The units below to tap into, 邀请到这里 for the unit shown, « Back and Cancel."""
    rows = _pairs([_step(unit.name_in(locale), "open", unit.code) for unit in step.options])
    if step.here and step.unit is not None:
        label = t("Invite to %(unit)s", unit=step.unit.name_in(locale))
        rows.append([_step(label, "to", step.unit.code)])
    last = [_step(t("Cancel"), "cancel")]
    if step.back is not None:
        last.insert(0, _step(t("« Back"), "open", step.back))
    return InlineKeyboardMarkup(inline_keyboard=[*rows, last])
