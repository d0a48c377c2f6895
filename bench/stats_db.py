"""The statistics benchmark's districts, built once and kept: keyed by size and seed, in a
cache directory under the system's temporary directory (SQLite), or as a database of its
own on the PostgreSQL server given.

A district is reused only when it was completed: the note ``<key>.json`` beside it (its
"now", what was written and how long it took) is written last. A district half written
(a run interrupted) has no note, and is written again from scratch. A kept district is
migrated to the current head before it is measured (``upgrade``), so that the indexes of
a newer migration are measured too.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gridbot.storage.migrate import upgrade

from .district import Size, generate

CACHE = Path(tempfile.gettempdir()) / "gridbot-bench-district"


@dataclass(frozen=True)
class Built:
    """A district ready to read: where, its "now", and how long writing it took (in this
    run, or when it was written)."""

    url: str
    now: datetime
    generate_seconds: float
    summary: str
    reused: bool


def _name(size: Size, seed: int) -> str:
    return f"district-{size.key}-s{seed}"


def _note(cache: Path, name: str) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    return cache / f"{name}.json"


def _read_note(note: Path) -> dict[str, str] | None:
    try:
        found: dict[str, str] = json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found


def _built(url: str, note: dict[str, str], *, reused: bool) -> Built:
    return Built(
        url,
        datetime.fromisoformat(note["now"]),
        float(note["seconds"]),
        note["summary"],
        reused,
    )


async def _generate_noted(
    url: str, size: Size, seed: int, note: Path, now: datetime | None
) -> Built:
    done = await generate(url, size, seed=seed, now=now)
    found = {
        "now": done.now.isoformat(),
        "seconds": f"{done.seconds:.1f}",
        "summary": done.summary(),
    }
    _write_note(note, found)
    return _built(url, found, reused=False)


async def _kept(url: str, note: dict[str, str]) -> Built:
    """A kept district, migrated to the current head first: an index a later migration
    adds is there when its figures are measured."""
    await asyncio.to_thread(upgrade, url)
    return _built(url, note, reused=True)


def _write_note(note: Path, found: dict[str, str]) -> None:
    note.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")


async def sqlite_district(
    size: Size, seed: int, cache: Path = CACHE, *, fresh: bool = False, now: datetime | None = None
) -> Built:
    """The district's SQLite file, written unless a completed one is kept (a new one ends
    at ``now``, this minute by default)."""
    url, note, kept = _sqlite_file(cache, _name(size, seed), fresh)
    if kept is not None:
        return await _kept(url, kept)
    return await _generate_noted(url, size, seed, note, now)


def _sqlite_file(cache: Path, name: str, fresh: bool) -> tuple[str, Path, dict[str, str] | None]:
    """(URL, note, the note's content when the file is complete and kept); a file not
    kept is removed, with its write-ahead log."""
    database, note = cache / f"{name}.db", _note(cache, name)
    url = f"sqlite+aiosqlite:///{database}"
    kept = None if fresh else _read_note(note)
    if kept is not None and database.exists():
        return url, note, kept
    note.unlink(missing_ok=True)
    for stale in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    return url, note, None


async def postgres_district(
    server_url: str,
    size: Size,
    seed: int,
    cache: Path = CACHE,
    *,
    fresh: bool = False,
    now: datetime | None = None,
) -> Built:
    """The district as database ``gridbot_bench_<size>_s<seed>`` on the server of
    ``server_url``, written unless a completed one is kept there."""
    server = make_url(server_url)
    database = f"gridbot_bench_{size.key.replace('-', '_')}_s{seed}"
    url = server.set(database=database).render_as_string(hide_password=False)
    note = _note(cache, f"pg-{server.host}-{server.port}-{database}")
    kept = None if fresh else _read_note(note)
    if kept is not None and await _admin(server_url, database):
        return await _kept(url, kept)
    note.unlink(missing_ok=True)
    await _admin(server_url, database, drop=True, create=True)
    return await _generate_noted(url, size, seed, note, now)


async def _admin(
    server_url: str, database: str, *, drop: bool = False, create: bool = False
) -> bool:
    """Whether ``database`` exists on the server (after dropping or creating it)."""
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            if drop:
                await connection.exec_driver_sql(
                    f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'
                )
            if create:
                await connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
            found = await connection.scalar(
                text("SELECT count(*) FROM pg_database WHERE datname = :name"), {"name": database}
            )
    finally:
        await engine.dispose()
    return bool(found)
