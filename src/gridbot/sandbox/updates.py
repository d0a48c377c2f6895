"""The queue of updates waiting for the bot, served by long polling (``getUpdates``).

Update ids grow for the life of the stand, even across ``/sim/reset``: a bot that keeps
polling with an old offset must not lose the updates made after a reset.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from gridbot.sandbox.errors import ApiError

# What Telegram sends when the bot has not chosen: everything but these three.
NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def conflict_other_poll() -> ApiError:
    return ApiError(
        409,
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
    )


class UpdateQueue:
    def __init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._next_id = 1
        self.allowed_updates: list[str] | None = None
        self._wake = asyncio.Event()
        self._poll_generation = 0
        self._closing = False

    def clear(self) -> None:
        self._updates.clear()
        self.allowed_updates = None
        self.notify()

    def __len__(self) -> int:
        return len(self._updates)

    def allows(self, kind: str) -> bool:
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in NOT_SENT_BY_DEFAULT

    def continue_after(self, update_id: int) -> None:
        """Number the next updates after ``update_id``, as Telegram keeps numbering a bot's
        updates: a stand started for a bot whose database remembers updates up to that id
        (the demo, run again on its database) must not hand out those ids again."""
        self._next_id = max(self._next_id, update_id + 1)

    def push(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Queue an update; ``None`` when the bot asked not to receive this kind."""
        if not self.allows(kind):
            return None
        update_id = self._next_id
        self._next_id += 1
        self._updates.append({"update_id": update_id, kind: payload})
        self.notify()
        return update_id

    def confirm(self, offset: int | None) -> None:
        """Forget what the bot has seen: ids below ``offset`` (or keep the last ``-offset``)."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def drop_all(self) -> None:
        self._updates.clear()

    def first(self) -> dict[str, Any] | None:
        return self._updates[0] if self._updates else None

    def peek(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self._updates[: max(1, min(limit, 100))])

    async def wait(self, seconds: float) -> None:
        """Return when something changes (an update, a reset, a newer poll) or on timeout."""
        wake = self._wake
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await wake.wait()

    @property
    def polls(self) -> int:
        """How many getUpdates calls have arrived so far."""
        return self._poll_generation

    async def poll(self, offset: int | None, limit: int, seconds: float) -> list[dict[str, Any]]:
        """One ``getUpdates``: a newer poll ends an older one with 409, as Telegram does."""
        self.confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self.notify()  # wakes an older poll, which then sees it was superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, seconds)
        while True:
            if generation != self._poll_generation:
                raise conflict_other_poll()
            batch = self.peek(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closing:
                return batch
            await self.wait(remaining)

    def close(self) -> None:
        """The stand is stopping: waiting polls answer now instead of holding the shutdown."""
        self._closing = True
        self.notify()

    def notify(self) -> None:
        self._wake.set()
        self._wake = asyncio.Event()
