"""Writers of one process take turns in asyncio, not in SQLite's busy handler.

SQLite has one write lock per file, and its busy handler waits for it by sleeping in
growing steps (up to 100 ms each), so writers of one process that all contend for it
queue for hundreds of milliseconds. ``WriterLock`` lets them wait on an ``asyncio.Lock``
instead: a writing unit of work takes its turn before its transaction begins and gives it
back once it was left, so at most one write transaction of this ``Database`` is open at a
time, and the next writer starts as soon as the last one ended. Other processes (and other
``Database`` objects on the same file) still wait in SQLite's busy handler.

Rules:

* One ``asyncio.Lock`` per ``WriterLock`` and event loop, made on first use in that loop
  (an ``asyncio.Lock`` must not be shared across loops: tests run one loop each). Writers
  on different loops (threads) of one ``Database`` do not exclude each other here; they
  wait for each other in the busy handler, like other processes.
* No nesting: a task holding a turn that asks for another one of the same lock would wait
  for itself forever, and so would a task that holds a turn and awaits a child task that
  asks for one. Both get a ``RuntimeError`` at once instead: the turns held are kept in a
  ``ContextVar``, which follows the task across awaits and is copied into the tasks it
  starts. (So a task started inside a writing unit of work cannot write while that unit of
  work is still open, even if nobody awaits it: start it after the block.)
* Cancelling a task while it waits for its turn gives nothing away and leaks nothing.
"""

from __future__ import annotations

import asyncio
import weakref
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(eq=False)
class WriterTurn:
    """A turn held: give it back with ``WriterLock.release``."""

    owner: WriterLock
    lock: asyncio.Lock
    task: asyncio.Task[object] | None
    active: bool = True


@dataclass(eq=False)
class _LoopState:
    lock: asyncio.Lock
    waiting: int = 0


_turns_held: ContextVar[tuple[WriterTurn, ...]] = ContextVar(
    "gridbot_storage_writer_turns", default=()
)


class WriterLock:
    """At most one writer at a time per event loop: ``turn = await lock.acquire()``, then
    ``lock.release(turn)``."""

    def __init__(self) -> None:
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopState] = (
            weakref.WeakKeyDictionary()
        )

    def _state(self) -> _LoopState:
        loop = asyncio.get_running_loop()
        state = self._loops.get(loop)
        if state is None:
            state = self._loops[loop] = _LoopState(asyncio.Lock())
        return state

    @property
    def locked(self) -> bool:
        """Whether a writer of the running loop holds its turn."""
        return self._state().lock.locked()

    @property
    def waiting(self) -> int:
        """How many writers of the running loop wait for their turn."""
        return self._state().waiting

    async def acquire(self) -> WriterTurn:
        """Wait for this task's turn; ``RuntimeError`` when it (or the task that started
        it) holds one already, since it would then wait forever."""
        task = asyncio.current_task()
        for turn in _turns_held.get():
            if turn.owner is self and turn.active:
                raise RuntimeError(_nested_message(same_task=turn.task is task))
        state = self._state()
        state.waiting += 1
        try:
            await state.lock.acquire()
        finally:
            state.waiting -= 1
        turn = WriterTurn(self, state.lock, task)
        _turns_held.set((*_turns_held.get(), turn))
        return turn

    def release(self, turn: WriterTurn) -> None:
        """Give the turn back (again: nothing happens)."""
        if not turn.active:
            return
        turn.active = False
        held = _turns_held.get()
        if turn in held:
            _turns_held.set(tuple(other for other in held if other is not turn))
        turn.lock.release()


def _nested_message(*, same_task: bool) -> str:
    where = (
        "this task has one open already"
        if same_task
        else "the task that started this one has one open and may be waiting for it"
    )
    return (
        f"a writing unit of work (db.uow()) was opened while {where}: on SQLite it would "
        "wait for the write lock forever. Use the open unit of work, open the second one "
        "after the first was left, or use db.reader() for reads."
    )
