"""A sandbox stand on a free port, the real aiogram Bot pointed at it, and a /sim/ client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from gridbot.sandbox.server import SandboxServer

TOKEN = "7000000123:TEST-sandbox-token"
BOT_ID = 7000000123


class Person:
    """The person's side of the stand, over HTTP like any other client."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession) -> None:
        self.base_url = base_url
        self.session = session

    async def post(self, path: str, expect: int = 200, **body: Any) -> Any:
        async with self.session.post(f"{self.base_url}/sim/{path}", json=body) as resp:
            data = await resp.json()
            assert resp.status == expect, data
            return data

    async def get(self, path: str, **query: Any) -> Any:
        async with self.session.get(f"{self.base_url}/sim/{path}", params=query) as resp:
            assert resp.status == 200, await resp.text()
            if query.get("format") == "text":
                return await resp.text()
            return await resp.json()

    async def transcript(self, chat_id: int) -> str:
        text: str = await self.get(f"chat/{chat_id}", format="text")
        return text


@pytest.fixture
async def stand() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(TOKEN)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(stand: SandboxServer) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(stand.url))
    bot = Bot(TOKEN, session=session)
    yield bot
    await bot.session.close()


@pytest.fixture
async def person(stand: SandboxServer) -> AsyncIterator[Person]:
    async with aiohttp.ClientSession() as session:
        yield Person(stand.url, session)
