"""Settings from the environment (or `.env`): the variables README.md lists under "Settings"."""

from __future__ import annotations

import re
from datetime import time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from gridbot.domain.deadlines import RESIDENT_QUIET_HOURS, QuietHours, parse_quiet_hours
from gridbot.domain.digests import SCHEDULES, DigestSource, format_digests, parse_digests
from gridbot.domain.patrol import (
    DEFAULT_PATROL_TIMES,
    format_patrol_times,
    parse_patrol_times,
)

TELEGRAM_API = "https://api.telegram.org"
LOCALES = ("zh", "en")
# The async drivers gridbot runs on, by backend (DATABASE_URL).
DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
GOOD_DATABASE_URLS = (
    "sqlite+aiosqlite:///gridbot.db or postgresql+asyncpg://user:password@host:5432/gridbot"
)
TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]+")  # as @BotFather gives it: 123456:AAF…
REDIS_SCHEMES = ("redis", "rediss", "unix")
USERNAME_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")  # Telegram's usernames


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    bot_token: SecretStr | None = Field(default=None, validation_alias="BOT_TOKEN")
    # Read by `gridbot org import` and `org link` for full t.me links; the running bot
    # asks Telegram for its own name (getMe).
    bot_username: str | None = Field(default=None, validation_alias="BOT_USERNAME")
    telegram_api_base: str = Field(default=TELEGRAM_API, validation_alias="TELEGRAM_API_BASE")
    database_url: str = Field(
        default="sqlite+aiosqlite:///gridbot.db", validation_alias="DATABASE_URL"
    )
    redis_url: str | None = Field(default=None, validation_alias="REDIS_URL")
    tz_name: str = Field(default="Asia/Shanghai", validation_alias="GRIDBOT_TZ")
    locale: str = Field(default="zh", validation_alias="GRIDBOT_LOCALE")
    webhook_url: str | None = Field(default=None, validation_alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, validation_alias="WEBHOOK_SECRET")
    webhook_listen: str = Field(default="127.0.0.1:8081", validation_alias="WEBHOOK_LISTEN")
    patrol_times_text: str = Field(
        default=format_patrol_times(DEFAULT_PATROL_TIMES), validation_alias="GRIDBOT_PATROL_TIMES"
    )
    # The end of the loop: a resolved case waits this long for its rating before the
    # reporter is reminded, then this long again before it closes unrated.
    rating_remind_hours: float = Field(
        default=24, gt=0, validation_alias="GRIDBOT_RATING_REMIND_HOURS"
    )
    rating_close_hours: float = Field(
        default=72, gt=0, validation_alias="GRIDBOT_RATING_CLOSE_HOURS"
    )
    quiet_hours_text: str = Field(
        default=str(RESIDENT_QUIET_HOURS), validation_alias="GRIDBOT_QUIET_HOURS"
    )
    brief_time_text: str = Field(default="08:00", validation_alias="GRIDBOT_BRIEF_TIME")
    # How long an administrator's invitation (/invite) may be accepted.
    invite_days: float = Field(default=7, gt=0, validation_alias="GRIDBOT_INVITE_DAYS")
    # PostgreSQL: how long a process's claim on a chat's outbox rows lasts unless renewed;
    # the chats of a killed process are delivered by another after this.
    outbox_claim_seconds: float = Field(
        default=15, ge=2, validation_alias="GRIDBOT_OUTBOX_CLAIM_SECONDS"
    )
    # The public digests (向群众汇报) published on a schedule: weekly, monthly, or off.
    digests_text: str = Field(default=format_digests(SCHEDULES), validation_alias="GRIDBOT_DIGESTS")
    # Retention: delivered or given-up messages, done due items and handled updates older
    # than this many days are dropped every night (services/retention); 0 keeps everything.
    retention_days: int = Field(default=30, validation_alias="GRIDBOT_RETENTION_DAYS")

    @field_validator("tz_name")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(
                f"GRIDBOT_TZ: unknown time zone {value!r}, e.g. Asia/Shanghai"
            ) from error
        return value

    @field_validator("bot_username")
    @classmethod
    def _username_shape(cls, value: str | None) -> str | None:
        name = (value or "").strip().removeprefix("@")
        if not name:
            return None  # set but empty: as if unset
        if not USERNAME_SHAPE.fullmatch(name):
            raise ValueError(
                f"BOT_USERNAME: {name!r} is not a bot's username; "
                "5-32 letters, digits or _, e.g. gridbot_demo_bot"
            )
        return name

    @field_validator("locale")
    @classmethod
    def _supported_locale(cls, value: str) -> str:
        if value not in LOCALES:
            raise ValueError(f"GRIDBOT_LOCALE must be one of {', '.join(LOCALES)}")
        return value

    @field_validator("patrol_times_text")
    @classmethod
    def _patrol_times(cls, value: str) -> str:
        try:
            return format_patrol_times(parse_patrol_times(value))
        except ValueError as error:
            raise ValueError(f"GRIDBOT_PATROL_TIMES: {error}, e.g. 09:00,15:00") from error

    @field_validator("quiet_hours_text")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        try:
            return str(parse_quiet_hours(value))
        except ValueError as error:
            raise ValueError(f"GRIDBOT_QUIET_HOURS: {error}, e.g. 21:00-08:00, or off") from error

    @field_validator("brief_time_text")
    @classmethod
    def _brief_time(cls, value: str) -> str:
        try:
            times = parse_patrol_times(value)
            if len(times) > 1:
                raise ValueError("one time only")
        except ValueError as error:
            raise ValueError(f"GRIDBOT_BRIEF_TIME: {error}, e.g. 08:00, or empty") from error
        return format_patrol_times(times)

    @field_validator("digests_text")
    @classmethod
    def _digests(cls, value: str) -> str:
        try:
            return format_digests(parse_digests(value))
        except ValueError as error:
            raise ValueError(f"GRIDBOT_DIGESTS: {error}, e.g. weekly,monthly") from error

    @field_validator("retention_days")
    @classmethod
    def _retention_days(cls, value: int) -> int:
        # Whole days: under one, an update Telegram may still send again would be forgotten.
        if value < 0:
            raise ValueError("GRIDBOT_RETENTION_DAYS: 0 (keep everything) or a number of days")
        return value

    @field_validator("telegram_api_base")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("telegram_api_base")
    @classmethod
    def _web_address(cls, value: str) -> str:
        scheme, _, rest = value.partition("://")
        if scheme not in ("http", "https") or not rest:
            raise ValueError("TELEGRAM_API_BASE: not a web address, e.g. https://api.telegram.org")
        return value

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        token = value.get_secret_value() if isinstance(value, SecretStr) else value
        if not isinstance(token, str):
            return value
        if not token.strip():
            return None  # set but empty: as if unset
        if not TOKEN_SHAPE.fullmatch(token.strip()):
            raise ValueError(
                "BOT_TOKEN: not a bot token; @BotFather gives one like 123456789:AAHdqTcv..."
            )
        return token.strip()

    @field_validator("database_url")
    @classmethod
    def _async_database(cls, value: str) -> str:
        problem = database_url_problem(value)
        if problem:
            raise ValueError(f"DATABASE_URL: {problem}")
        return value

    @field_validator("redis_url", mode="before")
    @classmethod
    def _redis_scheme(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None  # set but empty: as if unset
        if isinstance(value, str) and value.partition("://")[0] not in REDIS_SCHEMES:
            raise ValueError(
                "REDIS_URL: not a Redis address; it starts with redis://, rediss:// or "
                "unix://, e.g. redis://localhost:6379/0"
            )
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        _, colon, port = value.rpartition(":")
        if not colon or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("WEBHOOK_LISTEN: host:port, e.g. 127.0.0.1:8081")
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def patrol_times(self) -> tuple[time, ...]:
        """The local times of the daily patrol reminders (一日双巡)."""
        return parse_patrol_times(self.patrol_times_text)

    @property
    def quiet_hours(self) -> QuietHours:
        """When residents are not messaged unless they just asked (local time)."""
        return parse_quiet_hours(self.quiet_hours_text)

    @property
    def brief_time(self) -> time | None:
        """The local time of the workers' morning brief; None: no brief."""
        times = parse_patrol_times(self.brief_time_text)
        return times[0] if times else None

    @property
    def digests(self) -> frozenset[DigestSource]:
        """The public digests published on a schedule (none: only by hand, /digest)."""
        return parse_digests(self.digests_text)

    @property
    def retention(self) -> timedelta | None:
        """How long finished rows are kept; None: for ever (GRIDBOT_RETENTION_DAYS=0)."""
        return timedelta(days=self.retention_days) if self.retention_days else None

    @property
    def webhook_host_port(self) -> tuple[str, int]:
        host, _, port = self.webhook_listen.rpartition(":")
        return host or "0.0.0.0", int(port)


def database_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as a DATABASE_URL (None: nothing), with a good value.
    Synchronous drivers are refused, not converted: the URL shown is the one to set."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return f"not a database URL; use e.g. {GOOD_DATABASE_URLS}"
    backend = "postgresql" if parsed.get_backend_name() == "postgres" else parsed.get_backend_name()
    driver = DRIVERS.get(backend)
    if driver is None:
        return f"{parsed.drivername} is not supported; use e.g. {GOOD_DATABASE_URLS}"
    if parsed.drivername != driver:
        return f"gridbot needs the async driver: {shown_url(parsed.set(drivername=driver))}"
    return None


def shown_url(url: str | URL) -> str:
    """``url`` with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a URL)"
