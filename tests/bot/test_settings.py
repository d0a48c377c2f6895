from __future__ import annotations

import pytest
from pydantic import ValidationError

from gridbot.bot.config import Settings

VARIABLES = (
    "BOT_TOKEN",
    "TELEGRAM_API_BASE",
    "DATABASE_URL",
    "REDIS_URL",
    "GRIDBOT_TZ",
    "GRIDBOT_LOCALE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def load() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_defaults_follow_the_design() -> None:
    settings = load()
    assert settings.bot_token is None
    assert settings.telegram_api_base == "https://api.telegram.org"
    assert settings.database_url == "sqlite+aiosqlite:///gridbot.db"
    assert settings.redis_url is None
    assert settings.tz.key == "Asia/Shanghai"
    assert settings.locale == "zh"
    assert settings.webhook_url is None and settings.webhook_secret is None


def test_environment_overrides_every_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_API_BASE", "http://127.0.0.1:8080/")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@h/db")
    monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/0")
    monkeypatch.setenv("GRIDBOT_TZ", "Europe/Berlin")
    monkeypatch.setenv("GRIDBOT_LOCALE", "en")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/tg")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret")
    monkeypatch.setenv("WEBHOOK_LISTEN", "0.0.0.0:9000")
    settings = load()
    assert settings.bot_token is not None and settings.bot_token.get_secret_value() == "123:abc"
    assert "123:abc" not in repr(settings)
    assert settings.telegram_api_base == "http://127.0.0.1:8080"
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    assert settings.redis_url == "redis://localhost:6379/0"
    assert settings.tz.key == "Europe/Berlin"
    assert settings.locale == "en"
    assert settings.webhook_url == "https://bot.example.org/tg"
    assert settings.webhook_host_port == ("0.0.0.0", 9000)


def test_an_unknown_locale_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDBOT_LOCALE", "fr")
    with pytest.raises(ValidationError, match="GRIDBOT_LOCALE must be one of zh, en"):
        load()


def test_an_unknown_timezone_is_rejected_as_a_settings_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GRIDBOT_TZ", "Mars/Olympus")
    with pytest.raises(ValidationError, match="GRIDBOT_TZ"):
        load()
