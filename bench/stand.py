"""One bot on its own stand: furnish the stand, start the bot, warm up, measure, stop."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from gridbot.bot.demo import DEMO_TOKEN, furnish_stand
from gridbot.sandbox.server import SandboxServer

from .figures import Measured, pooled
from .org import Resident
from .play import STEP_TIMEOUT, Player, Script
from .processes import bot_environment, cpu_seconds, log_tail, running_bot
from .watch import BenchFailed, StandWatch

READY_TIMEOUT = 120.0  # imports, migrations and getMe on a loaded machine; not measured


@dataclass(frozen=True)
class Contender:
    script: Script
    command: list[str]
    workdir: Path
    database_url: str | None = None
    # gridbot's stand gets the demo's world (staff, groups), so the notices every case
    # sends to its grid team are delivered as in the demo; the echo bot needs none of it.
    demo_personas: list[dict[str, Any]] | None = None
    extra_env: Mapping[str, str] = field(default_factory=dict)  # the bot's own settings

    @property
    def log(self) -> Path:
        return self.workdir / f"{self.script.name}-bot.log"


async def measure_in_turn(
    contenders: Sequence[Contender], residents: list[Resident], flows: int, warm_up: int
) -> list[Measured]:
    """Several bots, each on its own stand, all running and warmed up, then measured in
    turn one flow each at a time (a slice): the first bot's slice, the second's, ..., and
    again, ``flows`` times; each bot's slices pooled. A shared machine's speed changes from
    one second to the next (the same bot's CPU per update was seen to vary threefold within
    a few minutes); slices a second or so apart put each bot's measurement on the same machine,
    where phases measured one after the other, each with its own start-up between, did not.
    Only the bot whose slice it is gets updates; the others are idle meanwhile."""
    async with contextlib.AsyncExitStack() as stack:
        arenas = [
            await stack.enter_async_context(on_stand(contender, residents, warm_up))
            for contender in contenders
        ]
        slices: list[list[Measured]] = [[] for _ in contenders]
        for _ in range(flows):
            for arena, measured in zip(arenas, slices, strict=True):
                measured.append(await arena.measure(1))
        return [pooled(measured) for measured in slices]


@contextlib.asynccontextmanager
async def on_stand(
    contender: Contender, residents: list[Resident], warm_up: int
) -> AsyncIterator[Phases]:
    """The contender's bot running on a stand of its own, its residents' warm-up flows
    played; what is yielded measures it."""
    server = SandboxServer(DEMO_TOKEN, strict_token=True)
    watch = StandWatch(server.state)
    watch.install(server.app)
    url = await server.start("127.0.0.1", 0)
    env = {**bot_environment(contender.database_url, url), **contender.extra_env}
    try:
        async with aiohttp.ClientSession(base_url=url) as http:
            command, workdir, log = contender.command, contender.workdir, contender.log
            with failures_of(contender):
                await furnish(server, http, contender, residents)
            async with running_bot(command, env, workdir, log, watch) as bot:
                players = [Player(r.user_id, r.name, http, watch) for r in residents]
                cpu = functools.partial(cpu_seconds, bot.pid)
                phases = Phases(contender, players, warm_up, watch, cpu)
                with failures_of(contender):
                    await watch.until(lambda: watch.polls or None, READY_TIMEOUT, "getUpdates")
                await phases.warm()
                yield phases
    finally:
        await server.stop()  # after the bot: it must not poll a stand that is gone


@contextlib.contextmanager
def failures_of(contender: Contender) -> Iterator[None]:
    """A failure of the bench, with the end of the contender's log."""
    try:
        yield
    except BenchFailed as error:
        tail = log_tail(contender.log)
        name = contender.script.name
        raise BenchFailed(f"{error}\n--- the {name} bot's log ends:\n{tail}") from None


async def furnish(
    server: SandboxServer,
    http: aiohttp.ClientSession,
    contender: Contender,
    residents: list[Resident],
) -> None:
    """Residents who have opened the bot (so it may write to them), and for gridbot the
    demo's staff and groups too."""
    if contender.demo_personas is not None:
        await furnish_stand(server, contender.demo_personas)
        return
    for resident in residents:
        async with http.post("/sim/users", json={**resident.persona, "started": True}) as answer:
            answer.raise_for_status()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """This process's garbage collection kept out of a measured phase. The process (the
    stands, the residents, the watches, and the gridbot modules the stand imports) holds
    some 350,000 objects, and a full collection of them stops its event loop for a quarter
    to half a second: one that fell in a measured phase held up every resident, and the
    bot being measured was charged for it. So: collected before the phase, paused during
    it."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass
class Phases:
    """The residents on one bot: the warm-up, then measured phases (``measure``)."""

    contender: Contender
    players: list[Player]
    warm_up: int
    watch: StandWatch
    bot_cpu: Callable[[], float | None]
    flows_done: int = 0  # measured flows each, so far

    @property
    def script(self) -> Script:
        return self.contender.script

    async def warm(self) -> None:
        with failures_of(self.contender):
            await self.play_round(self.warm_up)
            await self.notices_delivered(self.warm_up)

    async def measure(self, flows: int) -> Measured:
        """Every resident ``flows`` flows; then, not measured, their confirmations."""
        with failures_of(self.contender):
            with collector_paused():
                cpu_before, started = self.bot_cpu(), time.perf_counter()
                calls_before = self.watch.calls
                latencies = await self.play_round(flows)
                seconds, cpu_after = time.perf_counter() - started, self.bot_cpu()
            calls = self.watch.calls - calls_before
            first = self.warm_up + self.flows_done
            self.flows_done += flows
            await self.notices_delivered(first + flows)
        cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        notices = self.notice_latencies(first, first + flows)
        return Measured(latencies, seconds, notices, cpu, calls)

    async def play_round(self, flows: int) -> list[float]:
        """Every player at once, each ``flows`` flows in a row; all step latencies."""

        async def flows_of(player: Player) -> list[float]:
            latencies: list[float] = []
            for _ in range(flows):
                latencies += await player.play_flow(self.script)
            return latencies

        tasks = [asyncio.create_task(flows_of(player)) for player in self.players]
        try:
            per_player = await asyncio.gather(*tasks)
        finally:
            for task in tasks:  # one player failed: the others stop too, the run is over
                task.cancel()
        return [latency for latencies in per_player for latency in latencies]

    async def notices_delivered(self, flows_done: int) -> None:
        """Wait for what the bot sends on its own after the flows (gridbot's numbered
        confirmations): the next round starts on quiet chats, no flow goes unconfirmed."""
        expected = flows_done * self.script.notices_per_flow

        def all_there() -> bool | None:
            return all(len(p.notices(self.script)) >= expected for p in self.players) or None

        await self.watch.until(all_there, STEP_TIMEOUT, f"{expected} confirmations each")

    def notice_latencies(self, first: int, end: int) -> list[float]:
        """From the last step (submit) of each player's flows ``first`` to ``end`` (counted
        from the warm-up's first) to its notice (the case number)."""
        if not self.script.notices_per_flow:
            return []
        return [
            notice.at - sent
            for player in self.players
            for notice, sent in zip(
                player.notices(self.script)[first:end],
                player.submitted_at[first:end],
                strict=False,
            )
        ]
