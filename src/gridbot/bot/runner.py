"""`gridbot run` (long polling) and `gridbot webhook`, and `run_bot` for in-process use.

Start-up: settings, migrations to head, the database, Bot and Dispatcher, the command menus,
then the outbox sender and the due scheduler alongside the updates. SIGINT/SIGTERM set one
stop event; everything then stops in reverse order and the process exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramUnauthorizedError
from aiohttp import web
from redis.asyncio import Redis

from gridbot.bot.app import (
    Store,
    SystemClock,
    build_bot,
    build_context,
    build_dispatcher,
    build_storage,
)
from gridbot.bot.config import Settings
from gridbot.bot.group_hooks import GroupHooks
from gridbot.bot.i18n import Translator
from gridbot.bot.inbox import Inbox, poll
from gridbot.bot.jobs import (
    register_jobs,
    start_loop_chains,
    start_patrol_reminders,
    start_retention,
)
from gridbot.bot.menus import set_default_menus
from gridbot.bot.middlewares import UpdatesInFlight
from gridbot.bot.outbox_sender import OutboxSender
from gridbot.bot.problems import StartupProblem, tell
from gridbot.bot.processes import Presence, ProcessRegistry, refusal, url_digest
from gridbot.bot.reach import ends_when_stopped_while_starting, until_answered
from gridbot.bot.replies import CommitWatch, QueueFailedReplies, WatchedStore
from gridbot.bot.scheduler import DueScheduler, make_worker_id
from gridbot.bot.shared_limits import RedisLimits
from gridbot.bot.startup import load_settings, migrate
from gridbot.bot.templating import Renderer
from gridbot.bot.webhook import register_webhook, webhook_handler
from gridbot.services.ports import Clock
from gridbot.storage.database import Database

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DRAIN_SECONDS = 10.0  # how long a stopping bot waits for the updates being handled
CHECKPOINT_SECONDS = 1.0  # how often a bot on SQLite checkpoints its write-ahead log


@contextlib.asynccontextmanager
async def bot_services(
    settings: Settings,
    stop: asyncio.Event,
    store: Store | None = None,
    clock: Clock | None = None,
    in_flight: UpdatesInFlight | None = None,
    *,
    mode: str = "polling",
) -> AsyncIterator[tuple[Bot, Dispatcher, Inbox | None, bool]]:
    """Database, Bot, Dispatcher, inbox, outbox sender and due scheduler; all closed on
    exit, in reverse order: the updates being handled finish (up to ``DRAIN_SECONDS``),
    then stop, scheduler, sender, Bot session, database. ``clock`` (the system's by
    default) lets end-to-end tests move time for deadlines; ``in_flight`` lets them watch
    the updates being handled. The inbox (bot/inbox.py) needs the database: a test's fake
    store gets None."""
    async with contextlib.AsyncExitStack() as stack:
        if store is None:
            await asyncio.to_thread(migrate, settings.database_url)
            database = Database(settings.database_url)
            stack.push_async_callback(database.dispose)
            store = database
        alone = True  # no other process on the database
        if isinstance(store, Database):  # may this process run next to the others?
            alone = await _join_the_others(store, settings, mode, stop, stack)
        renderer = Renderer(Translator(settings.locale))
        bot = build_bot(settings)
        stack.push_async_callback(bot.session.close)
        username = await _bot_username(bot, settings, stop)
        clock = clock or SystemClock()
        ctx = build_context(
            settings,
            WatchedStore(store, clock),  # commits noted (bot/replies.py)
            clock=clock,
            renderer=renderer,
            bot_username=username,
        )
        storage = build_storage(settings, store, ctx.clock)
        dispatcher = build_dispatcher(settings, ctx, storage=storage)
        in_flight = in_flight or UpdatesInFlight()
        in_flight.attach(dispatcher)
        dispatcher.update.outer_middleware(CommitWatch())
        bot.session.middleware(QueueFailedReplies(store.uow, ctx.clock))
        groups = GroupHooks(ctx)  # unreachable groups unbound, migrated ones followed
        worker = make_worker_id()
        limits = None  # in this process's memory, unless shared in Redis
        if settings.redis_url:
            redis = Redis.from_url(settings.redis_url)
            stack.push_async_callback(redis.aclose)
            limits = RedisLimits(redis, bot.id, worker)
        sender = OutboxSender(
            bot,
            store.uow,
            ctx.clock,
            reader=store.reader,
            # Every process on PostgreSQL delivers the chats it claimed (one on SQLite).
            claims=isinstance(store, Database) and store.backend != "sqlite",
            limits=limits,
            on_unreachable=groups.unreachable,
            on_migrate=groups.migrated,
            claim_ttl=settings.outbox_claim_seconds,
            worker_id=worker,
        )
        if isinstance(store, Database):  # its commits wake the sender
            store.outbox_listeners.append(sender.wake)
            stack.callback(store.outbox_listeners.remove, sender.wake)
        sending = asyncio.create_task(sender.run(stop))
        stack.push_async_callback(asyncio.wait_for, sending, None)
        if isinstance(store, Database) and store.backend == "sqlite":
            checkpointing = asyncio.create_task(keep_checkpointing(store, stop))
            stack.push_async_callback(asyncio.wait_for, checkpointing, None)
        scheduler = DueScheduler(store.uow, ctx.clock)
        register_jobs(scheduler, ctx, settings)
        await start_patrol_reminders(ctx, settings)
        await start_loop_chains(ctx)
        await start_retention(ctx, settings)
        scheduler.start()
        stack.push_async_callback(scheduler.shutdown)
        stack.callback(stop.set)
        stack.push_async_callback(in_flight.drain, DRAIN_SECONDS)
        inbox = None
        if isinstance(store, Database):
            inbox = Inbox(store, bot, dispatcher, ctx.clock)
            stack.push_async_callback(inbox.settle, DRAIN_SECONDS)
        # Residents' commands by default; a menu failure must not stop the bot (logged).
        await set_default_menus(bot, renderer.translator)
        settle_the_heap()
        stack.callback(gc.unfreeze)
        yield bot, dispatcher, inbox, alone


async def _join_the_others(
    database: Database,
    settings: Settings,
    mode: str,
    stop: asyncio.Event,
    stack: contextlib.AsyncExitStack,
) -> bool:
    """Mark this process present on the database (bot/processes.py) and refuse to start
    next to processes it would lose or duplicate state with; whether it is alone."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    webhook = url_digest(f"{settings.webhook_url}|{secret}") if mode == "webhook" else ""
    me = Presence(make_worker_id(), mode, webhook)
    registry = ProcessRegistry(database.uow, SystemClock(), me)
    others = await registry.join()
    stack.push_async_callback(registry.leave)
    problem = refusal(
        registry.me, others, backend=database.backend, shared_state=bool(settings.redis_url)
    )
    if problem is not None:
        raise StartupProblem(problem)
    keeping = asyncio.create_task(registry.keep(stop), name="presence")
    stack.push_async_callback(asyncio.wait_for, keeping, None)
    stack.callback(stop.set)  # a start that fails later (a rejected token) ends it too
    return not others


async def keep_checkpointing(
    database: Database, stop: asyncio.Event, every: float = CHECKPOINT_SECONDS
) -> None:
    """SQLite: a checkpoint every ``every`` seconds until ``stop`` (see
    ``Database.checkpoint``); a failure is logged and the next one tries again."""
    while not stop.is_set():
        try:
            await database.checkpoint()
        except Exception:
            log.exception("SQLite checkpoint failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)


def settle_the_heap() -> None:
    """Everything built at start-up (modules, aiogram's and pydantic's models, templates)
    lives as long as the process: move it out of the garbage collector's sight. Otherwise
    each full collection walks some 300,000 objects and stops the event loop for 100-250 ms
    (docs/benchmarks.md)."""
    gc.collect()
    gc.freeze()


@ends_when_stopped_while_starting
async def run_bot(
    settings: Settings,
    *,
    stop: asyncio.Event,
    store: Store | None = None,
    clock: Clock | None = None,
    in_flight: UpdatesInFlight | None = None,
) -> None:
    """Long polling until ``stop`` is set (the demo and end-to-end tests run it in-process).

    Without ``store`` the database of ``settings.database_url`` is migrated and used. On a
    database every update goes through the inbox (recorded before it is confirmed); a
    test's fake store is polled by aiogram.
    """
    services = bot_services(settings, stop, store, clock, in_flight)
    async with services as (bot, dispatcher, inbox, _):
        await _drop_webhook(bot)
        if inbox is not None:
            await dispatcher.emit_startup(bot=bot, dispatcher=dispatcher)
            try:
                await poll(inbox, bot, dispatcher, stop, api_base=settings.telegram_api_base)
            finally:
                await inbox.settle(DRAIN_SECONDS)  # before the FSM storage closes
                await dispatcher.emit_shutdown(bot=bot, dispatcher=dispatcher)
            return
        started = asyncio.Event()
        dispatcher.startup.register(started.set)
        polling = asyncio.create_task(
            dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False),
            name="polling",
        )
        await _first_of(polling, stop.wait())
        if not polling.done():
            # stop_polling() refuses to run before polling has started.
            await _first_of(polling, started.wait())
            if not polling.done():
                await dispatcher.stop_polling()
        await polling  # re-raises what ended polling, e.g. a rejected token


@ends_when_stopped_while_starting
async def run_webhook(settings: Settings, *, stop: asyncio.Event) -> None:
    """A webhook server on WEBHOOK_LISTEN at the path of WEBHOOK_URL, until ``stop`` is set."""
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    async with bot_services(settings, stop, mode="webhook") as (bot, dispatcher, inbox, alone):
        assert inbox is not None
        # What a stopped process recorded and did not finish (bot/inbox.py).
        await inbox.replay(others_running=not alone)
        await dispatcher.emit_startup(bot=bot, dispatcher=dispatcher)
        app = web.Application()
        path = urlsplit(settings.webhook_url).path or "/"
        app.router.add_post(path, webhook_handler(inbox, bot, secret))
        runner = web.AppRunner(app, handle_signals=False)
        await runner.setup()
        try:
            host, port = settings.webhook_host_port
            await web.TCPSite(runner, host, port).start()
            await until_answered(
                lambda: register_webhook(
                    bot,
                    settings.webhook_url,  # type: ignore[arg-type]  # checked above
                    secret,
                    dispatcher.resolve_used_update_types(),
                    alone=alone,
                ),
                "setWebhook",
                settings.telegram_api_base,
                stop,
            )
            log.info("webhook server on %s:%s%s", host, port, path)
            await stop.wait()
        finally:
            await runner.cleanup()
            await inbox.settle(DRAIN_SECONDS)
            await dispatcher.emit_shutdown(bot=bot, dispatcher=dispatcher)


def run_polling_command(args: argparse.Namespace) -> int:
    settings = _load_settings()
    if settings is None:
        return EXIT_USAGE
    return run_until_signalled(lambda stop: run_bot(settings, stop=stop))


def run_webhook_command(args: argparse.Namespace) -> int:
    settings = _load_settings()
    if settings is None:
        return EXIT_USAGE
    if not settings.webhook_url or not settings.webhook_secret:
        print(
            "gridbot webhook: WEBHOOK_URL and WEBHOOK_SECRET must be set "
            "(the public https address Telegram posts to, and the secret it must send).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return run_until_signalled(lambda stop: run_webhook(settings, stop=stop))


def _load_settings() -> Settings | None:
    """Settings with a bot token, or None after telling the operator what is wrong."""
    try:
        return load_settings(token_required=True)
    except StartupProblem as problem:
        tell(problem)
        return None


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # A line per update and per scheduler tick would drown what matters.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (Linux and macOS; a dependency there), else
    None: asyncio's own. The bot spends much of each update handing work to the database
    driver's thread and back and in its HTTP transports, which uvloop does in C: about a
    tenth less CPU per update in the report benchmark (docs/benchmarks.md)."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def run_until_signalled(main: Callable[[asyncio.Event], Awaitable[int | None]]) -> int:
    """Run ``main(stop)`` until it ends or SIGINT/SIGTERM sets ``stop``; its int is the exit
    code (None means success). Ctrl-C never ends in a traceback."""
    configure_logging()

    async def supervise() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            code = await main(stop)
        except StartupProblem as problem:  # an unreachable database, a rejected token
            return tell(problem)
        except TelegramUnauthorizedError:
            print("gridbot: the Bot API rejected BOT_TOKEN (401 Unauthorized).", file=sys.stderr)
            return EXIT_FAILED
        except Exception:
            log.exception("gridbot stopped on an error")
            return EXIT_FAILED
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
        return EXIT_OK if code is None else code

    try:
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            return runner.run(supervise())
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were in place
        return EXIT_OK


async def _bot_username(bot: Bot, settings: Settings, stop: asyncio.Event) -> str | None:
    """For deep links in queued messages. getMe is the first call to the Bot API: it is
    tried until it answers (bot/reach.py), so the bot starts only once the API is there."""
    me = await until_answered(bot.me, "getMe", settings.telegram_api_base, stop)
    return me.username


async def _drop_webhook(bot: Bot) -> None:
    """getUpdates is refused while a webhook is set; a stand without webhooks may refuse this."""
    try:
        await bot.delete_webhook(drop_pending_updates=False)
    except Exception as error:
        log.warning("deleteWebhook failed, polling anyway: %s", error)


async def _first_of(task: asyncio.Task[None], other: Awaitable[object]) -> None:
    waiter = asyncio.ensure_future(other)
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
