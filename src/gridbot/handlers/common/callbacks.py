"""Typed callback data for every inline button. A callback is a request, never a permission:
handlers check the actor's rights on the server for every tap.

Prefixes are short because Telegram allows 64 bytes of callback data.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class CaseCallback(CallbackData, prefix="c"):
    """An action on a case: accept, progress, resolve, rate_*, affected, timeline, ...
    Packs like ``gridbot.services.notices.keyboards.case_callback``."""

    action: str
    case_id: int


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
    page: int


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
    case_id: int
    value: str = ""


class CareCallback(CallbackData, prefix="cv"):
    """An action on a care person (走访): ``visit`` starts recording a visit; ``open`` shows
    the card; ``worker``, ``interval``, ``remove`` and ``removed`` (confirmed) are the grid
    leader's. Packs like ``gridbot.services.care.care_callback``."""

    action: str
    care_id: int


class CareListCallback(CallbackData, prefix="cl"):
    """/care: a page of a grid's care persons (``list``), or adding one to it (``add``)."""

    action: str
    grid: str
    page: int = 0


class CareStepCallback(CallbackData, prefix="cx"):
    """A step of a care conversation (adding a person, choosing a worker or an interval,
    recording a visit, raising a case from it); stale outside that conversation."""

    step: str
    value: str = ""


class FeedbackCallback(CallbackData, prefix="fb"):
    """A step of a rating or a follow-up visit (``skip`` the comment, ``cancel``); stale
    outside that conversation."""

    step: str
    case_id: int


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
    unit: int
    page: int = 0


class OverdueCallback(CallbackData, prefix="od"):
    """/overdue: ``page`` shows that page of ``unit``'s overdue cases; ``urge`` (督办) presses
    the holder of ``case_id``, then shows that page again. The use case checks both."""

    action: str
    unit: str
    page: int = 0
    case_id: int = 0


class RankCallback(CallbackData, prefix="rk"):
    """/rank: ``view`` (grids, or a community's workers) of the unit with id ``unit`` over
    ``period`` (as in StatsCallback), page ``page``. The use case checks the reader may
    read that unit's statistics."""

    view: str
    period: str
    unit: int
    page: int = 0


class GridCardCallback(CallbackData, prefix="gd"):
    """/grid: the card of the grid with id ``grid`` over ``period`` (as in StatsCallback).
    The use case checks the reader may read that grid's card."""

    grid: int
    period: str


class DigestCallback(CallbackData, prefix="dg"):
    """/digest: 发布 the preview of the digest of the unit with id ``unit`` over ``period``
    (a period's label, like 2026-11 or 2026-W48), made at ``at`` (seconds). The use case
    checks the tapper may publish for that unit; one preview is published once."""

    unit: int
    period: str
    at: int
