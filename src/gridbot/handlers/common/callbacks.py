"""Typed callback data for every inline button. A callback is a request, never a permission:
handlers check the actor's rights on the server for every tap.

Prefixes are short because Telegram allows 64 bytes of callback data.
"""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Every number in callback data is an id, a page or a time: never negative, and within a
# database INTEGER (32 bits on PostgreSQL). Data out of range (forged) does not parse, so
# no handler matches and the tap is answered "this button is no longer active".
MAX_DB_INT = 2**31 - 1
DbInt = Annotated[int, Field(ge=0, le=MAX_DB_INT)]
Seconds = Annotated[int, Field(ge=0, le=2**63 - 1)]


class CaseCallback(CallbackData, prefix="c"):
    """An action on a case: accept, progress, resolve, rate_*, affected, timeline, ...
    Packs like ``gridbot.services.notices.keyboards.case_callback``."""

    action: str
    case_id: DbInt


class DraftCallback(CallbackData, prefix="d"):
    """A step of a report or wish draft. ``draft`` identifies the draft, so a button of an
    old draft is recognised as stale."""

    action: str
    draft: str
    value: str = ""


class UnitPickCallback(CallbackData, prefix="u"):
    """Finding one's grid by tapping street → community → grid."""

    code: str


class LanguageCallback(CallbackData, prefix="lang"):
    locale: str


class PageCallback(CallbackData, prefix="pg"):
    """Paging through a list (/my, /tasks)."""

    what: str
    page: DbInt


class JoinGridCallback(CallbackData, prefix="jg"):
    """The grid picker's confirmation: live in this grid from now on (join or move)."""

    code: str


class PatrolCallback(CallbackData, prefix="pt"):
    """/patrol: start, end, and the steps of a hazard found on the way (巡查上报)."""

    action: str
    value: str = ""


class CaseStepCallback(CallbackData, prefix="cs"):
    """A step of a handler's action on a case (transfer target, department, return reason,
    done, cancel). ``value`` is a request like any other: the use case checks it."""

    step: str
    case_id: DbInt
    value: str = ""


class CareCallback(CallbackData, prefix="cv"):
    """An action on a care person (走访): ``visit`` starts recording a visit; ``open`` shows
    the card; ``worker``, ``interval``, ``remove`` and ``removed`` (confirmed) are the grid
    leader's. Packs like ``gridbot.services.care.care_callback``."""

    action: str
    care_id: DbInt


class CareListCallback(CallbackData, prefix="cl"):
    """/care: a page of a grid's care persons (``list``), or adding one to it (``add``)."""

    action: str
    grid: str
    page: DbInt = 0


class CareStepCallback(CallbackData, prefix="cx"):
    """A step of a care conversation (adding a person, choosing a worker or an interval,
    recording a visit, raising a case from it); stale outside that conversation."""

    step: str
    value: str = ""


class FeedbackCallback(CallbackData, prefix="fb"):
    """A step of a rating or a follow-up visit (``skip`` the comment, ``cancel``); stale
    outside that conversation."""

    step: str
    case_id: DbInt


class TeamCallback(CallbackData, prefix="tm"):
    """/team of a leader of several grids: the grid chosen."""

    grid: str


class InviteCallback(CallbackData, prefix="iv"):
    """A step of /invite: the ``role`` chosen, a unit to ``open`` in the picker (``value``
    a code, "" the first screen), the unit to invite ``to``, or ``cancel``; stale outside
    that conversation."""

    step: str
    value: str = ""


class StatsCallback(CallbackData, prefix="st"):
    """/stats: the figures of the unit with id ``unit`` over ``period`` (a period's label,
    like 2026-11 or 2026-10-01..2026-10-15, or today / week / month / quarter), showing
    page ``page`` of its child units. The use case checks the reader may see that unit."""

    period: str
    unit: DbInt
    page: DbInt = 0


class OverdueCallback(CallbackData, prefix="od"):
    """/overdue: ``page`` shows that page of ``unit``'s overdue cases; ``urge`` (督办) presses
    the holder of ``case_id``, then shows that page again. The use case checks both."""

    action: str
    unit: str
    page: DbInt = 0
    case_id: DbInt = 0


class RankCallback(CallbackData, prefix="rk"):
    """/rank: ``view`` (grids, or a community's workers) of the unit with id ``unit`` over
    ``period`` (as in StatsCallback), page ``page``. The use case checks the reader may
    read that unit's statistics."""

    view: str
    period: str
    unit: DbInt
    page: DbInt = 0


class GridCardCallback(CallbackData, prefix="gd"):
    """/grid: the card of the grid with id ``grid`` over ``period`` (as in StatsCallback).
    The use case checks the reader may read that grid's card."""

    grid: DbInt
    period: str


class DigestCallback(CallbackData, prefix="dg"):
    """/digest: 发布 the preview of the digest of the unit with id ``unit`` over ``period``
    (a period's label, like 2026-11 or 2026-W48), made at ``at`` (seconds). The use case
    checks the tapper may publish for that unit; one preview is published once."""

    unit: DbInt
    period: str
    at: Seconds


def id_value(value: str) -> int:
    """A number carried in a text field (a worker's id, a transfer target, days): -1, which
    names nothing and is refused by the use case, unless it is ASCII digits within a
    database INTEGER."""
    if value.isascii() and value.isdigit() and int(value) <= MAX_DB_INT:
        return int(value)
    return -1
