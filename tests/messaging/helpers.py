"""Shared test helpers: seeding outbox rows and checking delivery timestamps."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Sequence
from typing import Any

from gridbot.domain.messaging import ChatKind, OutboxMessage
from gridbot.services.ports import Clock, UnitOfWork


async def enqueue_text(
    uow: UnitOfWork,
    clock: Clock,
    chat_id: int,
    text: str,
    *,
    chat_kind: ChatKind = ChatKind.PRIVATE,
) -> OutboxMessage:
    """A sendMessage row, as the notices write one."""
    params = {"text": text, "parse_mode": "HTML"}
    return await uow.outbox.add(
        OutboxMessage(chat_id, "sendMessage", params, clock.now(), chat_kind)
    )


async def seed(
    uow_factory: Callable[[], Any],
    clock: Clock,
    chats: Sequence[int],
    per_chat: int,
    kind: ChatKind = ChatKind.PRIVATE,
) -> None:
    """``per_chat`` numbered texts to each chat, interleaved as use cases would write them."""
    uow: UnitOfWork
    async with uow_factory() as uow:
        for n in range(per_chat):
            for chat_id in chats:
                await enqueue_text(uow, clock, chat_id, f"{chat_id}#{n}", chat_kind=kind)
        await uow.commit()


def min_gap(times: Sequence[float]) -> float:
    return min((b - a for a, b in itertools.pairwise(times)), default=float("inf"))


def max_in_window(times: Sequence[float], window: float) -> int:
    """The most calls found in any half-open window of ``window`` seconds."""
    ordered, best, start = sorted(times), 0, 0
    for end, t in enumerate(ordered):
        while t - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def until(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Wait until ``condition()`` holds (checked every 10 ms); fail after ``seconds``."""
    async with asyncio.timeout(seconds):
        while True:
            if condition():
                return
            await asyncio.sleep(0.01)
