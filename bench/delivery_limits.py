"""Telegram's limits, checked afterwards on the stand's log of the calls it accepted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gridbot.sandbox.state import ApiCall

GLOBAL_PER_SECOND = 30
PRIVATE_INTERVAL = 1.0
GROUP_PER_MINUTE = 20


@dataclass(frozen=True)
class Breach:
    what: str  # "global", "private" or "group"
    chat_id: int | None
    at: float  # the stand's time.time() of the first call of the offending window
    calls: int  # how many calls the window held
    seconds: float  # how long the window was

    def __str__(self) -> str:
        where = "" if self.chat_id is None else f" chat {self.chat_id}"
        return f"{self.what}{where}: {self.calls} calls in {self.seconds:.3f} s at {self.at:.3f}"


def delivered_sends(calls: Iterable[ApiCall]) -> list[ApiCall]:
    """The messages Telegram would have accepted: successful send* calls (a chat action
    is no message)."""
    return [
        call
        for call in calls
        if call.ok
        and call.method.lower().startswith("send")
        and call.method.lower() != "sendchataction"
    ]


def breaches(sends: Sequence[ApiCall], groups: set[int]) -> list[Breach]:
    """Every window over a limit: more than 30 sends in a second (counted once per call
    that opens such a window), two to a private chat within a second, more than 20 to a
    group within a minute."""
    found = _too_many([call.at for call in sends], GLOBAL_PER_SECOND, 1.0, "global", None)
    by_chat: dict[int, list[float]] = defaultdict(list)
    for call in sends:
        by_chat[int(call.params["chat_id"])].append(call.at)
    for chat_id, times in sorted(by_chat.items()):
        if chat_id in groups:
            found += _too_many(times, GROUP_PER_MINUTE, 60.0, "group", chat_id)
        else:
            found += _too_many(times, 1, PRIVATE_INTERVAL, "private", chat_id)
    return found


def _too_many(
    times: Sequence[float], limit: int, window: float, what: str, chat_id: int | None
) -> list[Breach]:
    ordered = sorted(times)
    found = []
    for first in range(len(ordered) - limit):
        last = first + limit  # the (limit + 1)-th call from ``first`` on
        if ordered[last] - ordered[first] < window:
            seconds = ordered[last] - ordered[first]
            found.append(Breach(what, chat_id, ordered[first], limit + 1, seconds))
    return found
