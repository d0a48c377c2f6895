"""`gridbot` with bad settings or an unreachable database: one line per problem on stderr,
naming the environment variable, no traceback; exit 2 for a bad setting, 1 for a database
that cannot be reached. Each case runs the real command line in a clean environment."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
ORG_FILE = ROOT / "examples" / "demo-org.yaml"
GOOD_TOKEN = "42:TEST"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nobody listens once the probe is closed


def gridbot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "gridbot.bot.cli", *args],
        cwd=tmp_path,  # no .env
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.returncode == code, result.stderr
    return lines[0]


BAD_DATABASE_URLS = [
    ("garbage", "sqlite+aiosqlite:///"),
    ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    (
        "postgresql://me:s3cret@db.example.org/grid",
        "postgresql+asyncpg://me:***@db.example.org/grid",
    ),
    ("postgres://me:s3cret@db.example.org/grid", "postgresql+asyncpg://me:***@db.example.org/grid"),
    ("mysql://me@db.example.org/grid", "postgresql+asyncpg://"),
]


@pytest.mark.parametrize(("url", "good"), BAD_DATABASE_URLS)
def test_a_bad_database_url_is_named_with_the_url_to_use(
    tmp_path: Path, url: str, good: str
) -> None:
    line = one_line(gridbot(tmp_path, "db", "upgrade", DATABASE_URL=url), 2)
    assert line.startswith("gridbot: DATABASE_URL: ")
    assert good in line
    assert "s3cret" not in line


@pytest.mark.parametrize("command", [["db", "upgrade"], ["run"], ["org", "show"]], ids=" ".join)
def test_a_refused_database_connection_names_database_url_and_hides_the_password(
    tmp_path: Path, command: list[str]
) -> None:
    url = f"postgresql+asyncpg://me:s3cret@127.0.0.1:{closed_port()}/grid"
    env = {"DATABASE_URL": url, "BOT_TOKEN": GOOD_TOKEN}
    line = one_line(gridbot(tmp_path, *command, **env), 1)
    assert line.startswith("gridbot: DATABASE_URL postgresql+asyncpg://me:***@127.0.0.1:")
    assert "connection refused" in line and "s3cret" not in line


def test_an_unknown_database_host_is_named(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://me@no-such-host.invalid/grid"
    line = one_line(gridbot(tmp_path, "org", "show", DATABASE_URL=url), 1)
    assert "DATABASE_URL" in line and "no-such-host.invalid" in line and "unknown host" in line


def test_a_sqlite_file_that_cannot_be_opened_is_named(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'no-such-dir' / 'gridbot.db'}"
    line = one_line(gridbot(tmp_path, "db", "upgrade", DATABASE_URL=url), 1)
    assert "DATABASE_URL" in line and "unable to open database file" in line


@pytest.mark.parametrize(
    ("variable", "value", "hint"),
    [
        ("BOT_TOKEN", "not-a-token", "123456789:"),
        ("REDIS_URL", "localhost:6379", "redis://localhost:6379/0"),
        ("GRIDBOT_TZ", "Mars/Olympus", "Asia/Shanghai"),
        ("TELEGRAM_API_BASE", "api.telegram.org", "https://api.telegram.org"),
        ("WEBHOOK_LISTEN", "8081", "127.0.0.1:8081"),
        ("GRIDBOT_INVITE_DAYS", "seven", "'seven'"),
        ("BOT_USERNAME", "t.me/grid bot", "gridbot_demo_bot"),
    ],
)
def test_a_bad_setting_of_gridbot_run_is_named_with_a_good_value(
    tmp_path: Path, variable: str, value: str, hint: str
) -> None:
    env = {"BOT_TOKEN": GOOD_TOKEN, variable: value}
    line = one_line(gridbot(tmp_path, "run", **env), 2)
    assert line.startswith(f"gridbot: {variable}")
    assert hint in line
    if variable == "BOT_TOKEN":
        assert value not in line  # a secret is never repeated back


def test_run_without_a_token_says_so_in_one_line(tmp_path: Path) -> None:
    line = one_line(gridbot(tmp_path, "run"), 2)
    assert "BOT_TOKEN is not set" in line


def test_two_bad_settings_give_two_lines(tmp_path: Path) -> None:
    result = gridbot(tmp_path, "org", "show", DATABASE_URL="garbage", GRIDBOT_TZ="Mars/Olympus")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = sorted(result.stderr.splitlines())
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("gridbot: DATABASE_URL") and lines[1].startswith(
        "gridbot: GRIDBOT_TZ"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["run"],
        ["webhook"],
        ["demo", "--no-browser", "--port", "0"],
        ["sandbox", "--port", "0"],
        ["db", "upgrade"],
        ["org", "import", str(ORG_FILE)],
        ["org", "show"],
        ["org", "link", "DL"],
    ],
    ids=" ".join,
)
def test_every_command_that_reads_settings_names_the_bad_one(
    tmp_path: Path, command: list[str]
) -> None:
    env = {"BOT_TOKEN": GOOD_TOKEN, "GRIDBOT_TZ": "Mars/Olympus"}
    line = one_line(gridbot(tmp_path, *command, **env), 2)
    assert line.startswith("gridbot: GRIDBOT_TZ: unknown time zone 'Mars/Olympus'")


def test_the_sandbox_reads_the_bots_zone_from_dotenv_for_the_web_chat(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("GRIDBOT_TZ=Europe/Berlin\n", encoding="utf-8")
    clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    stand = subprocess.Popen(
        [sys.executable, "-m", "gridbot.bot.cli", "sandbox", "--port", "0"],
        cwd=tmp_path,
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert stand.stdout is not None
        started = stand.stdout.readline()  # the stand prints its address once it listens
        found = re.search(r"person side at (http://127\.0\.0\.1:\d+)/sim/", started)
        assert found, started
        with urllib.request.urlopen(f"{found[1]}/webchat/info", timeout=10) as answer:
            info = json.load(answer)
    finally:
        stand.send_signal(signal.SIGINT)
        _, errors = stand.communicate(timeout=30)
    assert info["tz"] == "Europe/Berlin"
    assert stand.returncode == 0, errors


def test_run_and_webhook_help_list_the_settings_they_read(tmp_path: Path) -> None:
    run = gridbot(tmp_path, "run", "--help")
    webhook = gridbot(tmp_path, "webhook", "--help")
    assert run.returncode == webhook.returncode == 0
    for variable in ("BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "GRIDBOT_TZ", "TELEGRAM_API_BASE"):
        assert variable in run.stdout and variable in webhook.stdout
    assert "sqlite+aiosqlite:///gridbot.db" in run.stdout  # with its default
    assert "WEBHOOK_URL" in webhook.stdout and "WEBHOOK_URL" not in run.stdout
    assert "BOT_USERNAME" not in run.stdout + webhook.stdout  # the org commands' only
    required = webhook.stdout.split("required:")[1].split("optional")[0].split()
    assert required == ["BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET"]


@pytest.mark.parametrize(
    ("group", "commands"), [("db", ("upgrade",)), ("org", ("import", "show", "link"))]
)
def test_a_command_group_alone_lists_its_commands_and_exits_2(
    tmp_path: Path, group: str, commands: tuple[str, ...]
) -> None:
    result = gridbot(tmp_path, group)
    assert result.returncode == 2
    assert "required" not in result.stderr and f"usage: gridbot {group}" in result.stderr
    assert all(command in result.stderr for command in commands)


def test_every_option_and_argument_has_a_description() -> None:
    from gridbot.bot.cli import build_parser

    def undescribed(parser: argparse.ArgumentParser) -> Iterator[str]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for command in action.choices.values():
                    yield from undescribed(command)
            elif not action.help:
                yield f"{parser.prog} {'/'.join(action.option_strings) or action.dest}"

    assert list(undescribed(build_parser())) == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"database": "gridbot_no_such_db"}, 'database "gridbot_no_such_db" does not exist'),
        ({"username": "nobody_here"}, 'role "nobody_here" does not exist'),
    ],
)
def test_a_database_server_that_refuses_us_is_named_with_its_reason(
    tmp_path: Path, pg_url: str, change: dict[str, str], reason: str
) -> None:
    url = make_url(pg_url).set(password="s3cret", **change)
    env = {"DATABASE_URL": url.render_as_string(hide_password=False)}
    line = one_line(gridbot(tmp_path, "db", "upgrade", **env), 1)
    assert line.startswith("gridbot: DATABASE_URL postgresql+asyncpg://")
    assert reason in line and "s3cret" not in line
