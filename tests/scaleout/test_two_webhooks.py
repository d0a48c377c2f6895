"""Two `gridbot webhook` processes behind one URL, on PostgreSQL and Redis, as README's
deployment section describes: the stand posts every update to a round-robin proxy (which
also hands some updates to both processes, as Telegram does when it resends), residents
report at once with each step landing on either process, and one process is stopped
half-way. Checked: every update recorded and handled once, every report made once and
confirmed once, every notice delivered once, Telegram's per-chat limits held by the
outbox, the webhook set once and still set after a process stopped. Then a burst of
notices delivered by both, one of them killed mid-way: the other delivers the dead one's
chats once its claims lapsed."""

from __future__ import annotations

import asyncio
import itertools
import socket
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import func, select

from crash.process import answered, bot_environment, repeats, settled, terminate, unrecorded
from crash.test_burst_crash import report_at_once
from e2e.harness import Persona, World, text_of
from gridbot.bot.demo import DEMO_TOKEN, demo_personas, load_demo_spec, prepare_database
from gridbot.bot.webhook import SECRET_HEADER
from gridbot.sandbox.server import SandboxServer
from gridbot.sandbox.webchat import register_personas
from gridbot.storage.database import Database
from gridbot.storage.rows import CaseRow, InboxRow, OutboxRow

SECRET = "two-processes-s3cret"
SECONDS = 90.0  # for anything the processes must do, on two busy cores
RESIDENTS = (2001, 2002, 2003, 2004, 2005)  # the Chinese-speaking ones (2006 reads English)
REPORTS_EACH = 2
DUPLICATE_EVERY = 4  # one update in four is handed to both processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RoundRobin:
    """The reverse proxy: each update to the next process in turn; every
    ``DUPLICATE_EVERY``-th to both (the second answer is dropped); a process that does not
    answer is skipped for the next one, as a proxy's failover does."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.turn = itertools.count()
        self.handled: Counter[str] = Counter()
        self.duplicated = 0
        self.update_ids: list[int] = []
        self.session: aiohttp.ClientSession | None = None

    async def receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {
            SECRET_HEADER: request.headers.get(SECRET_HEADER, ""),
            "Content-Type": "application/json",
        }
        n = next(self.turn)
        order = [self.backends[(n + i) % len(self.backends)] for i in range(len(self.backends))]
        status = 502
        for backend in order:
            answer = await self._post(backend, body, headers)
            if answer is not None:
                status = answer
                self.handled[backend] += 1
                break
        if status == 200:
            self.update_ids.append(int((await request.json())["update_id"]))
            if n % DUPLICATE_EVERY == DUPLICATE_EVERY - 1:
                for backend in order[1:]:  # the same update again, to the other process
                    if await self._post(backend, body, headers) == 200:
                        self.duplicated += 1
                        break
        return web.Response(status=status)

    async def _post(self, backend: str, body: bytes, headers: dict[str, str]) -> int | None:
        assert self.session is not None
        try:
            async with self.session.post(backend, data=body, headers=headers) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return None


class WebhookProcess:
    def __init__(self, env: dict[str, str], port: int, workdir: Path, name: str) -> None:
        self.env = {**env, "WEBHOOK_LISTEN": f"127.0.0.1:{port}"}
        self.port = port
        self.log = workdir / f"{name}.log"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("wb") as output:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "gridbot.bot.cli",
                "webhook",
                env=self.env,
                cwd=self.log.parent,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
            )
        await until(self.listening, "the webhook server of " + self.log.name, self)

    async def listening(self) -> bool:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        writer.close()
        await writer.wait_closed()
        return True

    def check(self) -> None:
        if self.process is not None and self.process.returncode is not None:
            raise AssertionError(
                f"{self.log.name} exited ({self.process.returncode}):\n{self.tail()}"
            )

    def tail(self) -> str:
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return "\n".join(lines[-40:])

    async def stop(self) -> int | None:
        if self.process is None:
            return None
        code, self.process = await terminate(self.process), None
        return code

    async def kill(self) -> None:
        """SIGKILL: no handler, no drain, no claim given up."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()
        self.process = None


async def until(
    condition: Callable[[], bool | Awaitable[bool]],
    what: str,
    *processes: WebhookProcess,
    seconds: float = SECONDS,
) -> None:
    """Wait for an event (looked at every 20 ms) with a deadline; fail if a process died."""
    deadline = time.monotonic() + seconds
    while True:
        for process in processes:
            process.check()
        outcome = condition()
        if outcome if isinstance(outcome, bool) else await outcome:
            return
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {p.log.name}\n{p.tail()}" for p in processes)
            raise AssertionError(f"no {what} in {seconds}s\n{logs}")
        await asyncio.sleep(0.02)


def environment(database_url: str, redis_url: str, stand_url: str, hook_url: str) -> dict[str, str]:
    """The crash tests' bot environment, with Redis and the proxy's webhook address."""
    env = bot_environment(database_url, stand_url)
    env.update(REDIS_URL=redis_url, WEBHOOK_URL=hook_url, WEBHOOK_SECRET=SECRET)
    return env


@pytest.fixture
async def flushed_redis(redis_url: str) -> AsyncIterator[str]:
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    try:
        await client.flushdb()
        yield redis_url
    finally:
        await client.flushdb()
        await client.aclose()


@pytest.fixture
async def setup(
    empty_pg_url: str, flushed_redis: str, tmp_path: Path
) -> AsyncIterator[tuple[World, RoundRobin, list[WebhookProcess], SandboxServer]]:
    spec = load_demo_spec()
    personas = demo_personas(spec)
    database = await prepare_database(empty_pg_url, spec)
    stand = SandboxServer(DEMO_TOKEN, strict_token=True)
    register_personas(stand.app, personas)
    await stand.start("127.0.0.1", 0)
    ports = [free_port(), free_port()]
    proxy = RoundRobin([f"http://127.0.0.1:{port}/tg/hook" for port in ports])
    app = web.Application()
    app.router.add_post("/tg/hook", proxy.receive)
    runner = web.AppRunner(app)
    await runner.setup()
    proxy_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", proxy_port).start()
    proxy.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
    env = environment(
        empty_pg_url, flushed_redis, stand.url, f"http://127.0.0.1:{proxy_port}/tg/hook"
    )
    processes = [
        WebhookProcess(env, port, tmp_path, f"process-{n}") for n, port in enumerate(ports, 1)
    ]
    world = World(stand, database, personas)
    try:
        yield world, proxy, processes, stand
    finally:
        for process in processes:
            await process.stop()
        await world.close()
        await proxy.session.close()
        await runner.cleanup()
        await stand.stop()
        await database.dispose()


async def report(world: World, resident: Persona, text: str, *processes: WebhookProcess) -> None:
    """The report flow with patient waits: each step may land on either process."""
    chat = resident.private_chat()

    async def shown(predicate: Callable[[str], bool], since: int) -> bool:
        return any(
            m["message_id"] > since and predicate(text_of(m)) for m in await chat.bot_messages()
        )

    async def step(action: Awaitable[Any], predicate: Callable[[str], bool], what: str) -> None:
        since = world.marks.get(chat.chat_id, 0)
        await action
        try:
            await until(lambda: shown(predicate, since), what, *processes)
        except AssertionError as error:
            raise AssertionError(f"{resident.user_id}:\n{await chat.transcript()}") from error

    await step(resident.send("/report"), lambda t: "请选择类别" in t, "the categories")
    await step(resident.tap("环境卫生"), lambda t: "描述" in t, "the description question")
    await step(resident.send(text), lambda t: "照片" in t, "the photo question")
    await step(resident.tap("跳过"), lambda t: "问题在哪里" in t, "the place question")
    await step(resident.send("跳过"), lambda t: "邻居" in t, "the public question")
    await step(resident.tap("不公开：仅本人和网格团队可见"), lambda t: "提交" in t, "the summary")
    await step(resident.tap("提交"), lambda t: "已登记" in t, "the confirmation")


async def count(database: Database, row: Any, *where: Any) -> int:
    async with database.reader() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(row).where(*where)))


def sent_times(stand: SandboxServer, chats: set[int], since: float) -> dict[int, list[float]]:
    """Per chat, when the stand accepted each message sent there since ``since``."""
    times: dict[int, list[float]] = {}
    for call in stand.state.calls:
        if call.ok and call.at >= since and call.method.startswith("send"):
            chat = int(call.params.get("chat_id", 0))
            if chat in chats:
                times.setdefault(chat, []).append(call.at)
    return times


async def test_a_burst_through_two_processes_behind_one_url(
    setup: tuple[World, RoundRobin, list[WebhookProcess], SandboxServer],
) -> None:
    world, proxy, processes, stand = setup
    first, second = processes
    await first.start()
    await until(lambda: stand.state.webhook is not None, "setWebhook", first)
    await second.start()  # joins: the address is set already, so it leaves it alone
    assert [c.method for c in stand.state.calls].count("setWebhook") == 1

    # Everyone opens the bot at once.
    everyone = [world.persona(user_id) for user_id in sorted(world.personas) if user_id < 9000]
    await asyncio.gather(*(person.send("/start") for person in everyone))

    async def everyone_answered() -> bool:
        for person in everyone:
            if not await person.private_chat().bot_messages():
                return False
        return True

    await until(everyone_answered, "an answer to every /start", *processes)

    # Residents report at once, twice each; a step lands on either process.
    burst_began = time.time()
    residents = [world.persona(user_id) for user_id in RESIDENTS]
    for round_ in range(REPORTS_EACH):
        await asyncio.gather(
            *(report(world, r, f"第{round_ + 1}次：楼道灯坏了", *processes) for r in residents)
        )
    assert proxy.handled[proxy.backends[0]] > 0 and proxy.handled[proxy.backends[1]] > 0

    # One process stops; the other carries on at the same address.
    assert await first.stop() == 0
    assert stand.state.webhook is not None  # a stopping process leaves the webhook set
    late = world.persona(2001)
    since = world.marks.get(late.user_id, 0)
    await late.send("/help")

    async def helped() -> bool:
        return any(m["message_id"] > since for m in await late.private_chat().bot_messages())

    await until(helped, "an answer after one process stopped", second)

    await until(
        lambda: settled(world.database, stand), "every update handled and every notice sent", second
    )

    # None missed, none twice.
    assert proxy.duplicated > 0  # some updates did reach both processes
    assert await count(world.database, InboxRow) == len(set(proxy.update_ids))
    assert await count(world.database, CaseRow) == len(RESIDENTS) * REPORTS_EACH
    for resident in residents:
        texts = [text_of(m) for m in await resident.private_chat().bot_messages()]
        assert sum("已登记" in t for t in texts) == REPORTS_EACH, texts
    async with world.database.reader() as uow:
        notices = (
            (
                await uow.session.execute(
                    select(OutboxRow.chat_id).where(
                        OutboxRow.created_at >= datetime.fromtimestamp(burst_began, UTC)
                    )
                )
            )
            .scalars()
            .all()
        )
    staff_chats = {chat for chat in notices if chat not in RESIDENTS}
    assert staff_chats, "the reports told their grid teams nothing"
    delivered = Counter(
        (int(call.params["chat_id"]), str(call.params.get("text")))
        for call in stand.state.calls
        if call.ok and call.method == "sendMessage" and call.at >= burst_began
        and int(call.params["chat_id"]) in staff_chats
    )  # fmt: skip
    twice = {message: n for message, n in delivered.items() if n > 1}
    assert not twice, twice
    assert sum(delivered.values()) == sum(1 for chat in notices if chat in staff_chats)

    # Every notice left from a process that had claimed its chat (both deliver)...
    async with world.database.reader() as uow:
        unclaimed = await uow.session.scalar(
            select(func.count()).where(
                OutboxRow.status == "sent",
                OutboxRow.created_at >= datetime.fromtimestamp(burst_began, UTC),
                OutboxRow.claimed_by.is_(None),
            )
        )
    assert unclaimed == 0
    # ... and Telegram's limits held for both together (in Redis): one message a second to
    # a private chat, twenty in any minute to a group.
    for chat, times in sent_times(stand, staff_chats, burst_began).items():
        if chat > 0:
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert min(gaps, default=1.0) >= 0.99, (chat, gaps)
        else:
            assert max(sum(1 for u in times if t <= u < t + 60) for t in times) <= 20, chat
    assert [c.method for c in stand.state.calls].count("setWebhook") == 1


async def pending_claims(database: Database) -> Counter[tuple[str, int]]:
    """Pending outbox rows by the worker holding them (``host:pid:…``) and chat."""
    async with database.reader() as uow:
        found = await uow.session.execute(
            select(OutboxRow.claimed_by, OutboxRow.chat_id, func.count())
            .where(OutboxRow.status == "pending", OutboxRow.claimed_by.is_not(None))
            .group_by(OutboxRow.claimed_by, OutboxRow.chat_id)
        )
        return Counter({(str(worker), int(chat)): n for worker, chat, n in found})


async def test_a_killed_process_chats_are_delivered_by_the_other(
    setup: tuple[World, RoundRobin, list[WebhookProcess], SandboxServer],
) -> None:
    world, _, processes, stand = setup
    for process in processes:
        await process.start()
    everyone = [world.persona(user_id) for user_id in sorted(world.personas) if user_id < 9000]
    for person in everyone:
        await person.send("/start")

    def quiet() -> Awaitable[bool]:
        return settled(world.database, stand)

    await until(quiet, "every /start answered", *processes)
    before = answered(stand)
    began = time.time()

    # A burst of notices (as if many had tapped 提交 at once); both processes claim chats.
    await report_at_once(world, list(RESIDENTS))
    since = datetime.fromtimestamp(began, UTC)
    burst = await count(world.database, OutboxRow, OutboxRow.created_at >= since)
    pid_of = {process.process.pid: process for process in processes if process.process}
    holding: list[str] = []

    async def a_chat_held_with_a_queue() -> bool:
        # Three messages waiting in one chat: a second apart, they outlast the kill.
        held = await pending_claims(world.database)
        holding[:] = [worker for (worker, _), n in held.most_common() if n >= 3]
        return bool(holding)

    await until(a_chat_held_with_a_queue, "a process holding a chat's queue", *processes)
    dead_worker = holding[0]
    victim = pid_of[int(dead_worker.split(":")[1])]
    survivor = next(p for p in processes if p is not victim)
    await victim.kill()
    may_repeat = await unrecorded(world.database, stand)
    async with world.database.reader() as uow:
        orphans = set(
            await uow.session.scalars(
                select(OutboxRow.id).where(
                    OutboxRow.status == "pending", OutboxRow.claimed_by == dead_worker
                )
            )
        )
    assert orphans, "the killed process held nothing any more"

    await until(quiet, "the dead process's chats delivered", survivor)
    took = time.time() - began

    async with world.database.reader() as uow:
        rows = (
            await uow.session.execute(
                select(OutboxRow.id, OutboxRow.status, OutboxRow.claimed_by).where(
                    OutboxRow.created_at >= since
                )
            )
        ).all()
    assert len(rows) == burst
    assert all(status in ("sent", "unreachable") for _, status, _ in rows)
    # What the dead process held was taken by the survivor, once its claims had lapsed.
    assert all(worker != dead_worker for row_id, _, worker in rows if row_id in orphans)
    sent = answered(stand) - before
    twice = repeats(sent, may_repeat)
    print(
        f"burst of {burst} in {took:.1f}s; the killed process held {len(orphans)}; "
        f"{twice} sent twice (allowed {sum(may_repeat.values())})"
    )
    # The private chats' interval held across the hand-over (the windows are in Redis).
    for chat, times in sent_times(stand, {c for c, _ in sent}, began).items():
        if chat > 0:
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert min(gaps, default=1.0) >= 0.99, (chat, gaps)
