"""`gridbot db backup FILE`, run as the operator runs it: a consistent copy of a SQLite
database another connection keeps writing to; pg_dump named for PostgreSQL; errors in one
line."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gridbot.storage.migrate import revisions, upgrade

PREFILLED = 20_000  # inbox rows before the copy: a few megabytes to copy
PAYLOAD = "x" * 200


def backup(cwd: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "gridbot.bot.cli", "db", "backup", *args],
        cwd=cwd,  # no .env there
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def live(tmp_path: Path) -> Path:
    """A database at head in WAL mode (as the bot keeps it), with PREFILLED inbox rows."""
    path = tmp_path / "gridbot.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executemany(
            "INSERT INTO inbox (update_id, payload, received_at) VALUES (?, ?, '2026-11-30')",
            ((n, PAYLOAD) for n in range(1, PREFILLED + 1)),
        )
    connection.close()
    return path


class PairWriter(threading.Thread):
    """Commits two inbox rows per transaction until stopped: a copy taken in the middle of
    a transaction would hold an odd number of rows."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.commits = 0
        self.started_writing = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        next_id = PREFILLED + 1
        while not self.stop.is_set():
            connection.execute("BEGIN IMMEDIATE")
            for update_id in (next_id, next_id + 1):
                connection.execute(
                    "INSERT INTO inbox (update_id, payload, received_at) "
                    "VALUES (?, ?, '2026-11-30')",
                    (update_id, PAYLOAD),
                )
            connection.execute("COMMIT")
            next_id += 2
            self.commits += 1
            self.started_writing.set()
        connection.close()


def test_a_copy_of_a_database_being_written_is_one_consistent_commit(
    live: Path, tmp_path: Path
) -> None:
    writer = PairWriter(live)
    writer.start()
    try:
        assert writer.started_writing.wait(30)
        before = writer.commits
        done = backup(tmp_path, f"sqlite+aiosqlite:///{live}", "copy.db")
        after = writer.commits
    finally:
        writer.stop.set()
        writer.join(30)
    assert done.returncode == 0, done.stderr
    assert after > before  # the writer went on while the copy was made
    (line,) = done.stdout.splitlines()
    assert "copy.db" in line and "MB" in line and f"schema revision {revisions()[-1]}" in line
    assert done.stderr == ""

    copy = tmp_path / "copy.db"
    with sqlite3.connect(copy) as connection:
        (rows,) = connection.execute("SELECT count(*) FROM inbox").fetchone()
        (check,) = connection.execute("PRAGMA integrity_check").fetchone()
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        (journal,) = connection.execute("PRAGMA journal_mode").fetchone()
    connection.close()
    assert check == "ok" and revision == revisions()[-1]
    assert journal == "delete"  # one self-contained file
    assert (rows - PREFILLED) % 2 == 0  # whole transactions only
    assert PREFILLED + 2 * before <= rows <= PREFILLED + 2 * after
    assert not list(tmp_path.glob(".copy.db.*"))  # no partial file left behind


def test_an_existing_file_is_overwritten_only_with_force(live: Path, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{live}"
    target = tmp_path / "copy.db"
    target.write_text("keep me")
    refused = backup(tmp_path, url, "copy.db")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "gridbot db backup: copy.db exists; --force overwrites it"
    ]
    assert target.read_text() == "keep me"
    forced = backup(tmp_path, url, "copy.db", "--force")
    assert forced.returncode == 0, forced.stderr
    with sqlite3.connect(target) as connection:
        (rows,) = connection.execute("SELECT count(*) FROM inbox").fetchone()
    connection.close()
    assert rows == PREFILLED


def test_postgresql_is_left_to_pg_dump_with_the_password_hidden(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://gridbot:s3cret@db.example:5433/district"
    done = backup(tmp_path, url, "district.dump")
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "pg_dump" in line and "district" in line and "-f district.dump" in line
    assert "s3cret" not in line and "***" in line
    assert not (tmp_path / "district.dump").exists()


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("missing", "no SQLite database at"),
        ("no-directory", "no directory"),
        ("unwritable", "cannot write"),
    ],
)
def test_errors_are_one_line_without_a_traceback(
    live: Path, tmp_path: Path, where: str, said: str
) -> None:
    url, target = f"sqlite+aiosqlite:///{live}", str(tmp_path / "copy.db")
    if where == "missing":
        url = f"sqlite+aiosqlite:///{tmp_path / 'nowhere.db'}"
    elif where == "no-directory":
        target = str(tmp_path / "not" / "there" / "copy.db")
    else:
        target = "/proc/copy.db"  # nobody, not even root, creates a file there
    done = backup(tmp_path, url, target)
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("gridbot db backup: ") and said in line
    assert "Traceback" not in done.stderr


def test_a_bad_database_url_is_named_in_one_line(tmp_path: Path) -> None:
    done = backup(tmp_path, "garbage", "copy.db")
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "DATABASE_URL" in line and "Traceback" not in done.stderr
