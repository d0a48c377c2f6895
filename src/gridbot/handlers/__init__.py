"""aiogram routers, one module per feature. Each module's ``build_router()`` returns a fresh
router, so a Dispatcher can be built more than once in a process (tests, the demo)."""

from __future__ import annotations

from aiogram import Router

from gridbot.handlers import (
    errors,
    fallback,
    groups,
    help,
    join,
    lang,
    my_cases,
    report,
    start,
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
        wish_actions.build_router(),  # wish cards: approve, reject, claim, fulfil, confirm; /wishes
        start.build_router(),
        help.build_router(),
        fallback.build_router(),  # last: whatever nobody else handled
    )
    return root
