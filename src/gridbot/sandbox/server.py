"""The sandbox stand as an aiohttp application, a helper for tests, and ``gridbot sandbox``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator

from aiohttp import web

from gridbot.sandbox import botapi, sim, sim_inspect, sim_world
from gridbot.sandbox.api_media import DOCUMENT_BYTES
from gridbot.sandbox.botapi import STATE_KEY
from gridbot.sandbox.state import BOT_FIRST_NAME, BOT_USERNAME, SandboxState
from gridbot.sandbox.webchat import setup_webchat
from gridbot.sandbox.webhook import WebhookDeliverer

log = logging.getLogger(__name__)


def create_app(
    state: SandboxState | None = None, *, token: str | None = None, tz_name: str | None = None
) -> web.Application:
    """The whole stand; ``token`` (when given) is the only one accepted; ``tz_name`` is the
    bot's time zone, for the web chat's message times (default: ``GRIDBOT_TZ``, else
    Asia/Shanghai, as the bot reads it)."""
    state = state or SandboxState(token, strict_token=token is not None)
    # A 50 MB document and the rest of its form; a larger body is refused with a 413.
    app = web.Application(client_max_size=DOCUMENT_BYTES + 1024 * 1024)
    app[STATE_KEY] = state
    botapi.add_routes(app)
    sim.add_routes(app)
    sim_world.add_routes(app)
    sim_inspect.add_routes(app)
    setup_webchat(app, tz_name)  # the web chat page at "/"

    async def webhook_delivery(app: web.Application) -> AsyncIterator[None]:
        deliverer = WebhookDeliverer(state)
        deliverer.start()
        yield
        await deliverer.stop()

    app.cleanup_ctx.append(webhook_delivery)
    return app


class SandboxServer:
    """The stand on a real socket, for tests and the demo.

    ``url = await server.start()`` (port 0 picks a free port) gives the base URL; the bot
    uses ``TelegramAPIServer.from_base(url)``; ``server.state`` is the world to inspect.
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        strict_token: bool = False,
        bot_first_name: str = BOT_FIRST_NAME,
        bot_username: str = BOT_USERNAME,
        tz_name: str | None = None,
    ) -> None:
        self.state = SandboxState(
            token,
            strict_token=strict_token,
            bot_first_name=bot_first_name,
            bot_username=bot_username,
        )
        self.app = create_app(self.state, tz_name=tz_name)
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        # asyncio's Server or uvloop's (the demo runs the stand on the bot's loop)
        sockets = getattr(site._server, "sockets", None)
        assert sockets, "the stand's site did not bind"
        bound_port = sockets[0].getsockname()[1]
        self.url = f"http://{host}:{bound_port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            self.state.updates.close()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


async def serve(
    host: str, port: int, token: str | None, *, strict: bool = False, tz_name: str | None = None
) -> None:
    server = SandboxServer(token, strict_token=strict, tz_name=tz_name)
    url = await server.start(host, port)
    print(
        f"gridbot sandbox stand: Bot API at {url}/bot<token>/, person side at {url}/sim/",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(args: argparse.Namespace) -> int:
    """``gridbot sandbox [--port N]``: the stand alone, until Ctrl-C. ``args.tz_name``, when
    given, is the zone of the web chat's message times (the command line passes the bot's)."""
    logging.basicConfig(level=logging.INFO)
    host = getattr(args, "host", None) or "127.0.0.1"
    token = getattr(args, "token", None)
    # BOT_TOKEN (when set) only names the bot; any token is still accepted.
    identity = token or os.environ.get("BOT_TOKEN") or None
    port, tz_name = int(getattr(args, "port", 8080)), getattr(args, "tz_name", None)
    asyncio.run(serve(host, port, identity, strict=token is not None, tz_name=tz_name))
    return 0
