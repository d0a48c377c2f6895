"""Small writes of many updates, committed together.

Under load, many updates end at nearly the same moment and each has a small write to make
(its mark in the inbox, its conversation). One write transaction each would make them queue
for the process's write lock (``storage/writers.py``), one short turn after another, and
every turn costs its trips to the database. ``Batched`` lets the first of them start a
writer task that writes every item waiting, in one call (one transaction), and then again
for the items that came meanwhile; each caller returns once the batch holding its item was
committed. With one update at a time, a batch is that update's item alone, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Batched(Generic[T, R]):
    """``await batched.put(item)`` returns what ``write`` returned for the batch that held
    ``item``, once that batch is written, or raises what it raised (each waiter of the
    batch gets the error; the next batch is tried anew). A waiter cancelled while it waits
    does not take its item back: a write is never cut off half-way, and the item is written
    with its batch. ``write`` must not itself wait for a ``put`` of the same ``Batched``."""

    def __init__(self, write: Callable[[list[T]], Awaitable[R]], *, name: str) -> None:
        self._write = write
        self._name = name
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        """Items put and not yet taken into a batch."""
        return len(self._waiting)

    async def put(self, item: T) -> R:
        done: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, done))
        if self._writer is None:
            self._writer = asyncio.create_task(self._drain(), name=self._name)
        return await done

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    result = await self._write([item for item, _ in batch])
                except Exception as error:
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(error)
                    continue
                except BaseException:
                    self._waiting = batch + self._waiting
                    raise
                for _, done in batch:
                    if not done.done():
                        done.set_result(result)
        finally:
            self._writer = None
            for _, done in self._waiting:  # only when the writer itself was cut off
                if not done.done():
                    done.cancel()
            self._waiting = []
