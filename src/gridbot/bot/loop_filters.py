"""Run the routers' plain filters on the event loop, not on a thread.

aiogram awaits a filter that is a coroutine function or a ``Filter``; any other callable,
which is every magic filter (``F.data.startswith("c:")``) and every ``State`` used as a
filter, it runs with ``asyncio.to_thread``, once per handler it tries. An update looks at
a dozen or two of them before a handler matches, so each update made as many round trips
to the default thread pool and back, each a hand-over through the event loop and the
GIL: about a quarter of the bot's CPU time in the report flow (docs/benchmarks.md). Those
filters only read the update and the state's name, so they are cheaper to call than to
send away. ``keep_filters_on_the_loop`` gives each such filter an async wrapper that calls
it in place; a filter's result (a bool, or a dict of values for the handler) is passed on
unchanged, so what matches, and what the handler receives, stays the same.

A filter that has to wait for something must be a coroutine function or a ``Filter``
subclass anyway (gridbot's are); a blocking plain function would now block the loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject


def keep_filters_on_the_loop(router: Router) -> int:
    """Every plain filter of ``router`` and the routers under it (their handlers' and their
    own) called on the loop from now on; returns how many were changed."""
    changed = 0
    for event_filter in _filters(router):
        if not event_filter.awaitable:
            event_filter.callback = _called_in_place(event_filter.callback)
            event_filter.awaitable = True
            changed += 1
    return changed


def _filters(router: Router) -> Iterator[FilterObject]:
    for observer in router.observers.values():
        yield from observer._handler.filters or ()  # the router's own filters (.filter())
        for handler in observer.handlers:
            yield from handler.filters or ()
    for sub_router in router.sub_routers:
        yield from _filters(sub_router)


def _called_in_place(check: Callable[..., Any]) -> Callable[..., Any]:
    async def on_the_loop(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    return on_the_loop
