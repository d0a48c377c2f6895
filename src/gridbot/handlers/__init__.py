"""aiogram routers, one module per feature. Each module's ``build_router()`` returns a fresh
router, so a Dispatcher can be built more than once in a process (tests, the demo)."""

from __future__ import annotations

from aiogram import Router

from gridbot.handlers import (
    case_actions,
    case_moves,
    case_notes,
    errors,
    fallback,
    groups,
    help,
    join,
    lang,
    my_cases,
    patrol,
    report,
    start,
    tasks,
    wish_actions,
)


def build_root_router() -> Router:
    """Every feature router, in priority order: the first router whose filters match wins."""
    root = Router(name="gridbot")
    root.include_routers(
        errors.build_router(),
        groups.build_router(),  # the bot added/removed, /bind /unbind, /start b_, newcomers
        join.build_router(),  # /start j_ and inv_, the grid picker
        lang.build_router(),  # /lang, also in the middle of a draft
        report.build_router(),  # report and wish drafts, /cancel, /start r_<group>
        my_cases.build_router(),  # /my, case timelines, /start c_<number>, "same problem"
        case_actions.build_router(),  # case card: accept/报到, escalate, urge, open from /tasks
        case_notes.build_router(),  # case card: progress and resolve, with their steps
        case_moves.build_router(),  # case card: return, transfer, whistle; step Cancel, stale steps
        tasks.build_router(),  # /tasks, /case <no>
        wish_actions.build_router(),  # wish cards: approve, reject, claim, fulfil, confirm; /wishes
        patrol.build_router(),  # /patrol: start, end, hazards found on the way
        start.build_router(),
        help.build_router(),
        fallback.build_router(),  # last: whatever nobody else handled
    )
    return root
