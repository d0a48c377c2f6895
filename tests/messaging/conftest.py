"""The sandbox stand and a real aiogram Bot pointed at it, for the integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from redis.asyncio import Redis

from gridbot.sandbox.server import SandboxServer

TOKEN = "4242:SANDBOX-OUTBOX"


class Stand:
    """The stand's person side over HTTP (``/sim/...``), as the tests use it."""

    def __init__(self, server: SandboxServer, http: aiohttp.ClientSession) -> None:
        self.server, self.http, self.url = server, http, server.url

    async def sim(self, path: str, body: dict[str, Any] | None = None) -> Any:
        method = "GET" if body is None else "POST"
        async with self.http.request(method, f"{self.url}/sim/{path}", json=body) as response:
            assert response.status == 200, await response.text()
            return await response.json()

    async def open_private_chats(self, user_ids: range | list[int]) -> None:
        for user_id in user_ids:
            await self.sim("users", {"user_id": user_id, "started": True})

    async def add_bot_to_groups(self, chat_ids: range | list[int]) -> None:
        for chat_id in chat_ids:
            await self.sim("join", {"chat_id": chat_id, "user_id": self.server.state.bot.id})

    async def sent_messages(self) -> list[dict[str, Any]]:
        """Successful sendMessage calls: chat_id, text and the stand's time ``at``."""
        calls = await self.sim("outbox?method=sendMessage")
        return [
            {"chat_id": int(c["params"]["chat_id"]), "text": c["params"]["text"], "at": c["at"]}
            for c in calls
            if c["ok"]
        ]

    async def attempts(self) -> list[dict[str, Any]]:
        """Every sendMessage call that reached the stand, refused or not."""
        calls = await self.sim("outbox?method=sendMessage")
        return [{"chat_id": int(c["params"]["chat_id"]), "at": c["at"]} for c in calls]


@pytest.fixture
async def stand() -> AsyncIterator[Stand]:
    server = SandboxServer(TOKEN, strict_token=True)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            yield Stand(server, http)
    finally:
        await server.stop()


@pytest.fixture
async def bot(stand: Stand) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(stand.url))
    bot = Bot(TOKEN, session=session)
    try:
        yield bot
    finally:
        await bot.session.close()


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    """A client of the test Redis server, its database emptied first."""
    client = Redis.from_url(redis_url)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.aclose()
