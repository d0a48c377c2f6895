"""aiogram routers, one module per feature. Each module's ``build_router()`` returns a fresh
router, so a Dispatcher can be built more than once in a process (tests, the demo)."""

from __future__ import annotations

from aiogram import Router

from gridbot.handlers import errors, fallback, help, start


def build_root_router() -> Router:
    """Every feature router, in priority order: the first router whose filters match wins."""
    root = Router(name="gridbot")
    root.include_routers(
        errors.build_router(),
        start.build_router(),
        help.build_router(),
        fallback.build_router(),  # last: whatever nobody else handled
    )
    return root
