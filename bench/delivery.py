"""Delivery at Telegram's limits: the outbox sender of ``gridbot run`` against a stand.

``python -m bench.delivery [--messages N] [--chats C] [--groups G] [--due D]`` (``make
bench``: N=5,000, C=1,000 of which G=20 are groups, D=100,000).

Phase 1: a fresh SQLite database (migrated by ``gridbot db upgrade``), a stand in this
process where C chats have opened the bot (C-G private chats, G groups the bot is in), and
N messages written straight into the outbox (one transaction, through the outbox
repository, as use cases queue them; message i goes to chat i mod C, each text unique).
Then ``gridbot run`` starts and its sender delivers them; the run ends once the stand has
accepted every text. ``delivery_msgs_per_s`` is (accepted - 1) / (last - first) from the
stand's own timestamps of the accepted sendMessage calls; ``limit_breaches`` counts, from
the same timestamps, every 1-second window with more than 30 accepted sends, every two
sends to a private chat within 1 s and every 21 to a group within 60 s.

Phase 2: the same on a new database and stand with probabilistic faults on sendMessage
(``--rate-429`` 5% answered 429 retry_after 1, ``--rate-500`` 1% answered 500; seeded).
``delivery_lost`` counts texts the stand never accepted, ``delivery_twice`` texts it
accepted more than once.

Phase 2b, when GRIDBOT_TEST_PG_URL and GRIDBOT_TEST_REDIS_URL are set
(``scripts/with-postgres scripts/with-redis``): phases 1 and 2 again through two ``gridbot
webhook`` processes on a new PostgreSQL database and that Redis, each delivering the chats
it claimed, the limits counted together in Redis (``delivery_2p_msgs_per_s``,
``limit_breaches_2p``, ``delivery_2p_lost``, ``delivery_2p_twice``, and the same with
``_faulty``; ``delivery_2p_share`` is the share of the messages the busier process
delivered).

Phase 3 (``bench/due_claim.py``): D due items claimed and handled by the DueScheduler on
SQLite (``due_claim_100k_s``), and on PostgreSQL when GRIDBOT_TEST_PG_URL is set
(``due_claim_100k_pg_s``, a new database on that server, dropped after).

Exit 1 when a message is lost or delivered twice, a limit is breached or the due items
are not all handled; the breaches are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from sqlalchemy import text

from gridbot.bot.app import SystemClock
from gridbot.bot.demo import DEMO_TOKEN, sqlite_url
from gridbot.domain.messaging import ChatKind, OutboxMessage
from gridbot.sandbox.server import SandboxServer
from gridbot.sandbox.state import ApiCall, SandboxState
from gridbot.storage.database import Database

from .delivery_limits import Breach, breaches, delivered_sends
from .due_claim import DueBenchFailed, claim_all, new_pg_database
from .processes import (
    bot_environment,
    gridbot_command,
    log_tail,
    run_in_workdir,
    run_to_end,
    running_bot,
)
from .watch import BenchFailed, StandWatch

PREFIX = "bench delivery #"
FIRST_USER = 600_000_000
FIRST_GROUP = -5_000_000
SHOWN_BREACHES = 10


@dataclass(frozen=True)
class Plan:
    messages: int = 5_000
    chats: int = 1_000
    groups: int = 20
    due: int = 100_000
    rate_429: float = 0.05
    rate_500: float = 0.01
    seed: int = 7

    def chat_of(self, number: int) -> tuple[int, ChatKind]:
        """Message ``number``'s chat: the groups are the last ``groups`` of the chats."""
        index = number % self.chats
        if index >= self.chats - self.groups:
            return FIRST_GROUP - index, ChatKind.GROUP
        return FIRST_USER + index, ChatKind.PRIVATE

    @property
    def group_ids(self) -> set[int]:
        return {FIRST_GROUP - i for i in range(self.chats - self.groups, self.chats)}


@dataclass(frozen=True)
class Delivery:
    """What the stand saw of one phase."""

    per_second: float
    lost: int
    twice: int
    breaches: list[Breach]
    seconds: float
    refused: Counter[int]  # sendMessage calls the stand failed, by error code
    busiest_share: float  # of the messages, the share the busiest process delivered


class Accepted:
    """The bench's texts the stand has accepted, counted as its log of calls grows."""

    def __init__(self, state: SandboxState, expected: int) -> None:
        self.state = state
        self.expected = expected
        self.counts: Counter[str] = Counter()
        self._seen = 0

    def all_in(self) -> bool | None:
        calls = self.state.calls
        for call in calls[self._seen :]:
            text = call.params.get("text") if call.ok else None
            if call.method == "sendMessage" and str(text).startswith(PREFIX):
                self.counts[str(text)] += 1
        self._seen = len(calls)
        return len(self.counts) >= self.expected or None


@dataclass(frozen=True)
class Servers:
    """PostgreSQL and Redis, for two processes."""

    pg_url: str
    redis_url: str


async def deliver(
    plan: Plan, folder: Path, faulty: bool, servers: Servers | None = None
) -> Delivery:
    """One ``gridbot run`` on SQLite delivers the messages, or, given ``servers``, two
    ``gridbot webhook`` processes on a new PostgreSQL database and Redis."""
    await asyncio.to_thread(folder.mkdir)
    async with contextlib.AsyncExitStack() as stack:
        if servers is None:
            database_url = sqlite_url(folder / "gridbot.db")
        else:
            database_url = await stack.enter_async_context(new_pg_database(servers.pg_url))
        env = bot_environment(database_url, stand_url=None)
        await run_to_end(gridbot_command("db", "upgrade"), env, folder)
        await write_outbox(plan, database_url)
        server = SandboxServer(DEMO_TOKEN, strict_token=True)
        accepted = Accepted(server.state, plan.messages)
        await run_bots(plan, folder, faulty, servers, database_url, server, accepted)
        accepted.all_in()
        unmarked, by_process = await outcome(database_url)
    ours = [
        c
        for c in server.state.calls
        if c.ok and c.method == "sendMessage" and str(c.params.get("text")).startswith(PREFIX)
    ]
    if unmarked:
        print(f"bench: {unmarked} outbox rows not marked sent at the end", file=sys.stderr)
    return Delivery(
        per_second=rate(ours),
        lost=plan.messages - len(accepted.counts),
        twice=sum(1 for count in accepted.counts.values() if count > 1),
        breaches=breaches(delivered_sends(server.state.calls), plan.group_ids),
        seconds=ours[-1].at - ours[0].at if len(ours) > 1 else 0.0,
        refused=Counter(
            error_code(call)
            for call in server.state.calls
            if call.method == "sendMessage" and not call.ok
        ),
        busiest_share=max(by_process.values(), default=0) / max(1, plan.messages),
    )


async def run_bots(
    plan: Plan,
    folder: Path,
    faulty: bool,
    servers: Servers | None,
    database_url: str,
    server: SandboxServer,
    accepted: Accepted,
) -> None:
    """The stand and the bot processes until every message was accepted (or the time
    ran out, which is printed); both stopped after, the bots first."""
    watch = StandWatch(server.state)
    watch.install(server.app)
    url = await server.start("127.0.0.1", 0)
    logs: list[Path] = []
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(server.stop)
        furnish(server.state, plan)
        if faulty:
            await add_faults(url, plan)
        env = bot_environment(database_url, url)
        # Two minutes to start, then at least 10 messages a second.
        timeout = 120 + plan.messages / 10
        try:
            for command, process_env, log in processes(env, folder, servers):
                logs.append(log)
                await stack.enter_async_context(
                    running_bot(command, process_env, folder, log, watch)
                )
            await watch.until(accepted.all_in, timeout, f"{plan.messages} messages")
        except BenchFailed as error:  # the figures still say what was lost
            tails = "".join(f"\n--- {log.name} ends:\n{log_tail(log)}" for log in logs)
            print(f"bench: {error}{tails}", file=sys.stderr)


def processes(
    env: dict[str, str], folder: Path, servers: Servers | None
) -> list[tuple[list[str], dict[str, str], Path]]:
    """(command, environment, log) of each bot process."""
    if servers is None:
        return [(gridbot_command("run"), env, folder / "gridbot.log")]
    ports = [free_port(), free_port()]
    shared = {
        **env,
        "REDIS_URL": servers.redis_url,
        # No updates come in this bench: the first process's address stands for the proxy.
        "WEBHOOK_URL": f"http://127.0.0.1:{ports[0]}/webhook",
        "WEBHOOK_SECRET": "bench-delivery",
    }
    return [
        (
            gridbot_command("webhook"),
            {**shared, "WEBHOOK_LISTEN": f"127.0.0.1:{port}"},
            folder / f"gridbot-{n}.log",
        )
        for n, port in enumerate(ports, 1)
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def error_code(call: ApiCall) -> int:
    """429, 500 or 0 (anything else): the stand logs the description, not the code."""
    error = str(call.error)
    if error.startswith("Too Many Requests"):
        return 429
    return 500 if error == "Internal Server Error" else 0


async def write_outbox(plan: Plan, url: str) -> None:
    """The messages, queued in one transaction as a use case queues its notices."""
    database = Database(url)
    now = SystemClock().now()
    try:
        async with database.uow() as uow:
            for number in range(plan.messages):
                chat_id, kind = plan.chat_of(number)
                params = {"text": f"{PREFIX}{number}"}
                await uow.outbox.queue(OutboxMessage(chat_id, "sendMessage", params, now, kind))
            await uow.commit()
    finally:
        await database.dispose()


def furnish(state: SandboxState, plan: Plan) -> None:
    """The chats, as they were before the bot started: people who opened it, groups it is
    in (placed quietly: the bot is not told again of what it already knew)."""
    for number in range(plan.chats):
        chat_id, kind = plan.chat_of(number)
        if kind is ChatKind.GROUP:
            state.ensure_group(chat_id, "group", f"Bench group {number}")
        else:
            user = state.ensure_user(chat_id, first_name=f"Resident {number}")
            user.started = True
            state.private_chat(user)


async def add_faults(url: str, plan: Plan) -> None:
    faults = [
        {"code": 429, "rate": plan.rate_429, "retry_after": 1, "seed": plan.seed},
        {"code": 500, "rate": plan.rate_500, "seed": plan.seed + 1},
    ]
    async with aiohttp.ClientSession(base_url=url) as http:
        for fault in faults:
            if fault["rate"]:
                async with http.post("/sim/fault", json={"method": "sendMessage", **fault}) as r:
                    r.raise_for_status()


def rate(calls: list[ApiCall]) -> float:
    if len(calls) < 2:
        return 0.0
    times = sorted(call.at for call in calls)
    return (len(times) - 1) / (times[-1] - times[0])


async def outcome(url: str) -> tuple[int, Counter[str]]:
    """Rows not marked sent at the end, and the rows each process claimed (PostgreSQL)."""
    database = Database(url)
    try:
        async with database.reader() as uow:
            session = uow.session
            unsent = await session.scalar(
                text("SELECT count(*) FROM outbox WHERE status != 'sent'")
            )
            claims = await session.execute(
                text("SELECT claimed_by, count(*) FROM outbox GROUP BY claimed_by")
            )
            return int(unsent or 0), Counter({str(who): n for who, n in claims if who})
    finally:
        await database.dispose()


def report(name: str, value: object) -> None:
    print(f"BENCH {name} {value}", flush=True)


def show_breaches(phase: str, found: list[Breach]) -> None:
    for breach in found[:SHOWN_BREACHES]:
        print(f"bench: {phase} limit breach: {breach}", file=sys.stderr)
    if len(found) > SHOWN_BREACHES:
        print(f"bench: ... {len(found) - SHOWN_BREACHES} more", file=sys.stderr)


async def run(plan: Plan, workdir: Path) -> int:
    failed = False
    if plan.messages:
        clean = await deliver(plan, workdir / "clean", faulty=False)
        report("delivery_msgs_per_s", f"{clean.per_second:.2f}")
        report("limit_breaches", len(clean.breaches))
        show_breaches("clean", clean.breaches)
        faulty = await deliver(plan, workdir / "faulty", faulty=True)
        report("delivery_faulty_msgs_per_s", f"{faulty.per_second:.2f}")
        report("delivery_lost", faulty.lost)
        report("delivery_twice", faulty.twice)
        report("limit_breaches_faulty", len(faulty.breaches))
        report("delivery_refused_429", faulty.refused[429])
        report("delivery_refused_500", faulty.refused[500])
        show_breaches("faulty", faulty.breaches)
        failed = bool(clean.breaches or faulty.breaches or faulty.lost or faulty.twice)
        failed = failed or bool(clean.lost or clean.twice)
        servers = shared_servers()
        if servers is not None:
            failed = await two_processes(plan, workdir, servers) or failed
    if plan.due:
        suffix = "100k" if plan.due == 100_000 else str(plan.due)
        try:
            url = sqlite_url(workdir / "due.db")
            await asyncio.to_thread(upgrade_sqlite, url)
            report(f"due_claim_{suffix}_s", f"{await claim_all(url, plan.due):.2f}")
            server_url = os.environ.get("GRIDBOT_TEST_PG_URL")
            if server_url:
                async with new_pg_database(server_url) as pg_url:
                    report(f"due_claim_{suffix}_pg_s", f"{await claim_all(pg_url, plan.due):.2f}")
        except DueBenchFailed as error:
            print(f"bench: due items: {error}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def shared_servers() -> Servers | None:
    pg_url = os.environ.get("GRIDBOT_TEST_PG_URL")
    redis_url = os.environ.get("GRIDBOT_TEST_REDIS_URL")
    return Servers(pg_url, redis_url) if pg_url and redis_url else None


async def two_processes(plan: Plan, workdir: Path, servers: Servers) -> bool:
    """Phase 2b; whether it failed."""
    failed = False
    for name, faulty in (("2p", False), ("2p_faulty", True)):
        found = await deliver(plan, workdir / name, faulty, servers)
        report(f"delivery_{name}_msgs_per_s", f"{found.per_second:.2f}")
        report(f"limit_breaches_{name}", len(found.breaches))
        report(f"delivery_{name}_lost", found.lost)
        report(f"delivery_{name}_twice", found.twice)
        report(f"delivery_{name}_share", f"{found.busiest_share:.2f}")
        show_breaches(name, found.breaches)
        failed = failed or bool(found.breaches or found.lost or found.twice)
    return failed


def upgrade_sqlite(url: str) -> None:
    from gridbot.storage.migrate import upgrade

    upgrade(url)


def parse_plan(argv: list[str] | None) -> Plan:
    parser = argparse.ArgumentParser(prog="python -m bench.delivery", description=__doc__)
    parser.add_argument("--messages", type=int, default=5_000, help="messages (N); 0: none")
    parser.add_argument("--chats", type=int, default=1_000, help="chats (C)")
    parser.add_argument("--groups", type=int, default=20, help="of the chats, groups (G)")
    parser.add_argument("--due", type=int, default=100_000, help="due items (D); 0: none")
    parser.add_argument("--rate-429", type=float, default=0.05, help="share answered 429")
    parser.add_argument("--rate-500", type=float, default=0.01, help="share answered 500")
    parser.add_argument("--seed", type=int, default=7, help="of the faults")
    args = parser.parse_args(argv)
    if args.messages < 0 or args.due < 0:
        parser.error("--messages and --due cannot be negative")
    if args.chats < 1 or not 0 <= args.groups <= args.chats:
        parser.error("--chats must be at least 1, --groups 0..chats")
    for name in ("rate_429", "rate_500"):
        if not 0 <= getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} is a share: 0 to less than 1")
    return Plan(
        args.messages, args.chats, args.groups, args.due, args.rate_429, args.rate_500, args.seed
    )


def main(argv: list[str] | None = None) -> int:
    plan = parse_plan(argv)
    return run_in_workdir(lambda workdir: run(plan, workdir), "gridbot-delivery-")


if __name__ == "__main__":
    sys.exit(main())
