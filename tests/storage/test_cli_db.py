from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

import pytest

from gridbot.bot.cli_db import upgrade_command


def test_db_upgrade_migrates_the_database_of_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    assert upgrade_command(argparse.Namespace()) == 0
    assert upgrade_command(argparse.Namespace()) == 0  # again: nothing to do, no error
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "head" in lines[0]
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"cases", "outbox", "due_items", "alembic_version"} <= tables
