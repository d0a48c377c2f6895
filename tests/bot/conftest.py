from __future__ import annotations

import pytest
from aiogram import Bot, Dispatcher

from gridbot.bot.app import build_bot, build_context, build_dispatcher
from gridbot.bot.config import Settings

from .fakes import FakeStore, RecordingSession


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, BOT_TOKEN="42:TEST", DATABASE_URL="sqlite+aiosqlite://")  # type: ignore[call-arg]


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def session() -> RecordingSession:
    return RecordingSession()


@pytest.fixture
def bot(settings: Settings, session: RecordingSession) -> Bot:
    return build_bot(settings, session=session)


@pytest.fixture
def dispatcher(settings: Settings, store: FakeStore) -> Dispatcher:
    return build_dispatcher(settings, build_context(settings, store))
