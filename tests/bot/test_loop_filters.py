"""The routers' plain filters (magic filters, states, functions) are called on the event
loop, not sent to a thread one by one, and still decide and hand on what they did."""

from __future__ import annotations

import re
import threading
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message

from gridbot.bot.loop_filters import keep_filters_on_the_loop

from .fakes import callback_update, message_update


class Steps(StatesGroup):
    waiting = State()


def small_dispatcher(seen: dict[str, Any]) -> tuple[Dispatcher, Router]:
    """A plain function filter that notes its thread, a magic filter handing a value on
    with ``.as_()``, a state filter, and a router-level magic filter."""

    def on_whose_thread(message: Message) -> bool:
        seen.setdefault("filter threads", []).append(threading.get_ident())
        return True

    inner = Router(name="inner")
    inner.message.filter(F.chat.type == "private")

    @inner.message(on_whose_thread, F.text.regexp(r"^/echo (.+)$").as_("asked"))
    async def echo(message: Message, asked: re.Match[str]) -> None:
        seen.setdefault("echoed", []).append(asked.group(1))

    @inner.message(Steps.waiting)
    async def waiting(message: Message) -> None:  # pragma: no cover - never in that state
        seen.setdefault("waiting", []).append(message.text)

    @inner.callback_query(F.data == "tap")
    async def tapped(query: Any) -> None:
        seen.setdefault("taps", []).append(query.data)

    dispatcher = Dispatcher()
    outer = Router(name="outer")
    outer.include_router(inner)
    dispatcher.include_router(outer)
    return dispatcher, inner


async def test_plain_filters_run_on_the_loop_thread_and_decide_as_before(bot: Bot) -> None:
    seen: dict[str, Any] = {}
    dispatcher, _ = small_dispatcher(seen)

    changed = keep_filters_on_the_loop(dispatcher)
    await dispatcher.feed_update(bot, message_update("/echo hi"))
    await dispatcher.feed_update(bot, message_update("hello"))  # the magic filter says no
    await dispatcher.feed_update(bot, message_update("/echo in a group", chat_type="group"))
    await dispatcher.feed_update(bot, callback_update("tap"))
    await dispatcher.feed_update(bot, callback_update("other"))

    # The echo's function and magic filter, the state, the tap's magic filter and the
    # router's own filter.
    assert changed == 5
    loop_thread = threading.get_ident()
    # The function is tried for both private messages (the group's is turned away by the
    # router's own filter first), each time on the loop's thread.
    assert seen["filter threads"] == [loop_thread, loop_thread]
    assert seen["echoed"] == ["hi"]
    assert seen["taps"] == ["tap"]
    assert "waiting" not in seen


async def test_without_it_aiogram_sends_each_plain_filter_to_a_thread(bot: Bot) -> None:
    """What the change is for: aiogram's own way, seen by the same filter."""
    seen: dict[str, Any] = {}
    dispatcher, _ = small_dispatcher(seen)

    await dispatcher.feed_update(bot, message_update("/echo hi"))

    assert seen["filter threads"] != [threading.get_ident()]
    assert seen["echoed"] == ["hi"]


async def test_a_second_pass_changes_nothing(bot: Bot) -> None:
    dispatcher, _ = small_dispatcher({})
    keep_filters_on_the_loop(dispatcher)

    assert keep_filters_on_the_loop(dispatcher) == 0


def test_the_bots_dispatcher_sends_no_filter_to_a_thread(dispatcher: Dispatcher) -> None:
    """Every router of gridbot, including ones added later: build_dispatcher leaves no
    filter for aiogram to run on a thread, and no handler either."""

    def callables(router: Router) -> list[Any]:
        found: list[Any] = []
        for observer in router.observers.values():
            found += observer._handler.filters or []
            for handler in observer.handlers:
                found += [handler, *(handler.filters or [])]
        for sub_router in router.sub_routers:
            found += callables(sub_router)
        return found

    everything = callables(dispatcher)
    assert len(everything) > 300  # the whole tree was walked
    assert [c.callback for c in everything if not c.awaitable] == []
