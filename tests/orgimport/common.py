"""What the org-import tests share: the demo's org file, tokens for deep links, and the
whole database dumped table by table (to compare before and after an import)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import inspect, select, table, text

from gridbot.storage.database import Database

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-org.yaml"
DEMO_TEXT = DEMO.read_text(encoding="utf-8")

Dump = dict[str, list[tuple[object, ...]]]


def tokens(prefix: str = "t") -> Callable[[], str]:
    numbers = itertools.count(1)
    return lambda: f"{prefix}{next(numbers)}"


async def dump(db: Database) -> Dump:
    """Every table's rows (but Alembic's), sorted."""
    async with db.engine.connect() as connection:
        names = await connection.run_sync(lambda c: inspect(c).get_table_names())
        rows: Dump = {}
        for name in sorted(set(names) - {"alembic_version"}):
            result = await connection.execute(select(text("*")).select_from(table(name)))
            rows[name] = sorted((tuple(r) for r in result), key=repr)
    return rows
