"""One bot on its own stand: furnish the stand, start the bot, warm up, measure, stop."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from gridbot.bot.demo import DEMO_TOKEN, furnish_stand
from gridbot.sandbox.server import SandboxServer

from .figures import Measured
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


async def measure(
    contender: Contender, residents: list[Resident], flows: int, warm_up: int
) -> Measured:
    server = SandboxServer(DEMO_TOKEN, strict_token=True)
    watch = StandWatch(server.state)
    watch.install(server.app)
    url = await server.start("127.0.0.1", 0)
    env = {**bot_environment(contender.database_url, url), **contender.extra_env}
    try:
        async with aiohttp.ClientSession(base_url=url) as http:
            await furnish(server, http, contender, residents)
            command, workdir, log = contender.command, contender.workdir, contender.log
            async with running_bot(command, env, workdir, log, watch) as bot:
                await watch.until(lambda: watch.polls or None, READY_TIMEOUT, "getUpdates")
                players = [Player(r.user_id, r.name, http, watch) for r in residents]
                script, cpu = contender.script, lambda: cpu_seconds(bot.pid)
                return await Phases(players, script, warm_up, watch, cpu).play(flows)
    except BenchFailed as error:
        tail = log_tail(contender.log)
        name = contender.script.name
        raise BenchFailed(f"{error}\n--- the {name} bot's log ends:\n{tail}") from None
    finally:
        await server.stop()  # after the bot: it must not poll a stand that is gone


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


@dataclass(frozen=True)
class Phases:
    """The residents on one bot: a warm-up round, then the measured one."""

    players: list[Player]
    script: Script
    warm_up: int
    watch: StandWatch
    bot_cpu: Callable[[], float | None]

    async def play(self, flows: int) -> Measured:
        await self.play_round(self.warm_up)
        await self.notices_delivered(self.warm_up)
        cpu_before, started = self.bot_cpu(), time.perf_counter()
        calls_before = self.watch.calls
        latencies = await self.play_round(flows)
        seconds, cpu_after = time.perf_counter() - started, self.bot_cpu()
        calls = self.watch.calls - calls_before
        await self.notices_delivered(self.warm_up + flows)
        cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        return Measured(latencies, seconds, self.notice_latencies(), cpu, calls)

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

    def notice_latencies(self) -> list[float]:
        """From each measured flow's last step (submit) to its notice (the case number)."""
        if not self.script.notices_per_flow:
            return []
        return [
            notice.at - sent
            for player in self.players
            for notice, sent in zip(
                player.notices(self.script)[self.warm_up :],
                player.submitted_at[self.warm_up :],
                strict=False,
            )
        ]
