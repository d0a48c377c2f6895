"""Webhook delivery: while a webhook is set, POST each update to it, in order, retrying."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

import aiohttp

from gridbot.sandbox.state import SandboxState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIRST_RETRY_DELAY = 0.05
LAST_RETRY_DELAY = 2.0


class WebhookDeliverer:
    """One background task per stand; it sleeps while no webhook is set."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self) -> None:
        delay = FIRST_RETRY_DELAY
        while True:
            webhook, update = self.state.webhook, self.state.updates.first()
            if webhook is None or update is None:
                await self.state.updates.wait(1.0)
                continue
            error = await self._post(webhook.url, webhook.secret_token, update)
            if error is None:
                # A reset or drop_pending_updates may have removed it meanwhile.
                if self.state.updates.first() is update:
                    self.state.updates.confirm(update["update_id"] + 1)
                delay = FIRST_RETRY_DELAY
                continue
            webhook.last_error_date = int(time.time())
            webhook.last_error_message = error
            await self.state.updates.wait(delay)
            delay = min(delay * 2, LAST_RETRY_DELAY)

    async def _post(self, url: str, secret: str | None, update: dict[str, object]) -> str | None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        headers = {"Content-Type": "application/json"}
        if secret:
            headers[SECRET_HEADER] = secret
        try:
            async with self._session.post(url, data=json.dumps(update), headers=headers) as resp:
                await resp.read()
                if 200 <= resp.status < 300:
                    return None
                return f"Wrong response from the webhook: {resp.status} {resp.reason}"
        except (aiohttp.ClientError, TimeoutError) as error:
            return f"Connection failed: {type(error).__name__}"
