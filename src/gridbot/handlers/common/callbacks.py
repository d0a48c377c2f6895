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
