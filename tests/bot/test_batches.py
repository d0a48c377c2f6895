"""Small writes of many updates committed together (``bot/batches.py``)."""

from __future__ import annotations

import asyncio

import pytest

from gridbot.bot.batches import Batched
from yielding import until


class Writer:
    """Records each batch; holds the first one until ``release``; fails when told to."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.started, self.release = asyncio.Event(), asyncio.Event()
        self.fail_next = False

    async def write(self, items: list[int]) -> int:
        self.batches.append(items)
        self.started.set()
        await self.release.wait()
        if self.fail_next:
            self.fail_next = False
            raise OSError("disk I/O error")
        return len(self.batches)


async def test_items_put_while_a_batch_is_written_go_together_in_the_next() -> None:
    writer = Writer()
    batched = Batched(writer.write, name="test")
    first = asyncio.create_task(batched.put(1))
    await writer.started.wait()
    rest = [asyncio.create_task(batched.put(n)) for n in range(2, 7)]
    await until(lambda: batched.waiting == 5)
    writer.release.set()
    assert await first == 1
    assert await asyncio.gather(*rest) == [2] * 5  # each gets its own batch's result
    assert writer.batches == [[1], [2, 3, 4, 5, 6]]
    assert batched.waiting == 0


async def test_a_failed_batch_fails_each_of_its_waiters_and_the_next_is_tried_anew() -> None:
    writer = Writer()
    writer.fail_next = True
    batched = Batched(writer.write, name="test")
    first = asyncio.create_task(batched.put(1))
    await writer.started.wait()
    second = asyncio.create_task(batched.put(2))
    await until(lambda: batched.waiting == 1)
    writer.release.set()
    with pytest.raises(OSError, match="disk I/O"):
        await first
    assert await second == 2
    assert await batched.put(3) == 3  # a new writer for a new item
    assert writer.batches == [[1], [2], [3]]


async def test_a_waiter_cancelled_leaves_its_item_to_be_written() -> None:
    writer = Writer()
    batched = Batched(writer.write, name="test")
    first = asyncio.create_task(batched.put(1))
    await writer.started.wait()
    gone = asyncio.create_task(batched.put(2))
    await until(lambda: batched.waiting == 1)
    gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    writer.release.set()
    await first
    await until(lambda: len(writer.batches) == 2)
    assert writer.batches == [[1], [2]]
