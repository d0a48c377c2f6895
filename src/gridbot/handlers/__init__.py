"""aiogram routers, one per feature. Each feature's ``build_router()`` returns a fresh
router, so a Dispatcher can be built more than once in a process (tests, the demo).

A handler reads the update, builds a command, calls one use case of the service layer and
renders its result. What every handler needs arrives by parameter name from the bot's
middleware: ``ctx`` (the service context), ``actor`` (who is acting, loaded once per
update), ``render``, ``t`` and ``locale``. Features share only ``common``.
"""

from __future__ import annotations

from aiogram import Router

from gridbot.handlers import (
    care,
    digests,
    errors,
    exports,
    fallback,
    feedback,
    groups,
    help,
    join,
    lang,
    my_cases,
    overdue,
    patrol,
    reports,
    staff,
    start,
    stats,
    wishes,
    workflow,
)


def build_root_router() -> Router:
    """Every feature router, in priority order: the first router whose filters match wins."""
    root = Router(name="gridbot")
    root.include_routers(
        errors.build_router(),
        groups.build_router(),  # the bot added/removed, /bind /unbind, /start b_, newcomers
        join.build_router(),  # /start j_ and inv_, the grid picker
        lang.build_router(),  # /lang, also in the middle of a draft
        reports.build_router(),  # report and wish drafts, /cancel, /start r_<group>
        my_cases.build_router(),  # /my, case timelines, /start c_<number>, "same problem"
        feedback.build_router(),  # ratings and comments, follow-up visits (回访), /visits
        workflow.build_router(),  # the case card and its steps, /tasks, /case <no>
        wishes.build_router(),  # wish cards: approve, reject, claim, fulfil, confirm; /wishes
        patrol.build_router(),  # /patrol: start, end, hazards found on the way
        care.build_router(),  # /care (走访): care persons, recording visits, what they raise
        overdue.build_router(),  # /overdue: a unit's overdue cases, 督办 from the list
        staff.build_router(),  # /team (the grid's staff), /invite (staff invitations)
        stats.build_router(),  # /stats: a supervisor's figures, by period and unit
        exports.build_router(),  # /export (XLSX) and /chart (PNG) of a supervisor's unit
        digests.build_router(),  # /digest: the public digest to residents' groups
        start.build_router(),
        help.build_router(),
        fallback.build_router(),  # last: whatever nobody else handled
    )
    return root
