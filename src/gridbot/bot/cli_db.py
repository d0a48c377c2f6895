"""`gridbot db upgrade`: bring the database of DATABASE_URL to the latest schema.
`gridbot db backup FILE`: a consistent copy of a live SQLite database (PostgreSQL: pg_dump)."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from gridbot.bot.startup import load_settings, migrate
from gridbot.storage.migrate import revisions

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
BUSY_SECONDS = 30  # how long the copy waits for a writer of a database not in WAL mode


def upgrade_command(args: argparse.Namespace) -> int:
    url = load_settings().database_url
    migrate(url)
    shown = make_url(url).render_as_string(hide_password=True)
    print(f"database {shown} is at schema revision {revisions()[-1]} (head)")
    return 0


class BackupRefused(Exception):
    """Why no copy was made, in one line for the operator."""


def backup_command(args: argparse.Namespace) -> int:
    """Copy the SQLite database of DATABASE_URL to ``args.file`` with SQLite's online
    backup: one read transaction, so the copy is the database as one commit left it, while
    the bot goes on writing. PostgreSQL is pg_dump's job: say so, exit 2."""
    url = make_url(load_settings().database_url)  # bad settings: SettingsError, exit 2
    backend = url.get_backend_name()
    if backend == "postgresql":
        return _refuse(_use_pg_dump(url, args.file), EXIT_USAGE)
    if backend != "sqlite":
        return _refuse(f"cannot back up a {backend} database", EXIT_USAGE)
    try:
        source = _sqlite_file(url)
        target = _target(Path(args.file), source, force=args.force)
        size, revision = copy_sqlite(source, target)
    except BackupRefused as refusal:
        return _refuse(str(refusal), EXIT_FAILED)
    print(f"copied {source} to {target}: {_size(size)}, schema revision {revision or 'none'}")
    return EXIT_OK


def copy_sqlite(source: Path, target: Path) -> tuple[int, str | None]:
    """The copy's size in bytes and schema revision. Written beside ``target`` under
    another name and renamed over it when complete: a failed copy leaves nothing behind."""
    try:
        uri = f"{source.resolve().as_uri()}?mode=rw"  # never creates a database
        reading = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)
    except sqlite3.Error as error:
        raise BackupRefused(f"cannot open the database {source}: {error}") from None
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        revision = _copy(reading, partial, target)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        reading.close()
    return target.stat().st_size, revision


def _copy(reading: sqlite3.Connection, partial: Path, target: Path) -> str | None:
    try:
        copy = sqlite3.connect(partial)
    except sqlite3.Error as error:
        raise BackupRefused(f"cannot write {target}: {error}") from None
    try:
        # All pages in one step: one read transaction, one consistent snapshot. (Steps of a
        # few pages would start over whenever another connection writes meanwhile.)
        reading.backup(copy)
        # One self-contained file, whatever the source's journal (WAL) mode.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _revision(copy)
    except sqlite3.Error as error:
        raise BackupRefused(f"cannot copy the database to {target}: {error}") from None
    finally:
        copy.close()


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # not migrated: no gridbot schema at all
        return None
    return str(row[0]) if row else None


def _sqlite_file(url: URL) -> Path:
    name = url.database
    if not name or name == ":memory:" or url.query.get("mode") == "memory":
        raise BackupRefused("DATABASE_URL names no SQLite file (an in-memory database)")
    path = Path(name)
    if not path.is_file():
        raise BackupRefused(f"no SQLite database at {path} (DATABASE_URL)")
    return path


def _target(target: Path, source: Path, *, force: bool) -> Path:
    if target.is_dir():
        raise BackupRefused(f"{target} is a directory: name the file of the copy")
    if target.exists():
        if target.resolve() == source.resolve():
            raise BackupRefused(f"{target} is the database itself")
        if not force:
            raise BackupRefused(f"{target} exists; --force overwrites it")
    if not target.parent.is_dir():
        raise BackupRefused(f"cannot write {target}: no directory {target.parent}")
    return target


def _use_pg_dump(url: URL, file: str) -> str:
    shown = url.render_as_string(hide_password=True)
    options = [(flag, value) for flag, value in (("-h", url.host), ("-p", url.port)) if value]
    if url.username:
        options.append(("-U", url.username))
    command = " ".join(["pg_dump -Fc", *(f"{f} {v}" for f, v in options), f"-f {file}"])
    return (
        f"DATABASE_URL is PostgreSQL ({shown}): back it up with pg_dump, "
        f"e.g. {command} {url.database}"
    )


def _refuse(reason: str, code: int) -> int:
    print(f"gridbot db backup: {reason}", file=sys.stderr)
    return code


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit} ({size} bytes)"
