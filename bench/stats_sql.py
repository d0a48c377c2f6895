"""What the statistics send to the database, statement by statement: each one's time, and
its plan (SQLite's EXPLAIN QUERY PLAN; PostgreSQL's EXPLAIN (ANALYZE, BUFFERS)).

The statements are recorded at the driver's cursor (SQLAlchemy's cursor events) while one
run of the statistics goes, so the plans are those of the very SQL the bot sends, with its
parameters, whatever the statistics module builds.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any
    seconds: float


@dataclass
class Recorder:
    """``with``-less: ``recorder.recording = True`` around the run to look at."""

    engine: AsyncEngine
    recording: bool = False
    found: list[Statement] = field(default_factory=list)

    def __post_init__(self) -> None:
        sync = self.engine.sync_engine
        event.listen(sync, "before_cursor_execute", self._before)
        event.listen(sync, "after_cursor_execute", self._after)

    def _before(self, connection: Any, _cursor: Any, *_args: Any) -> None:
        connection.info["bench_started"] = time.perf_counter()

    def _after(self, connection: Any, _cursor: Any, sql: str, parameters: Any, *_args: Any) -> None:
        started = connection.info.pop("bench_started", None)
        if self.recording and started is not None:
            self.found.append(Statement(sql, parameters, time.perf_counter() - started))


async def explain(engine: AsyncEngine, statements: Sequence[Statement]) -> str:
    """Each statement, its time in the run, and its plan, as text."""
    postgres = engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    parts = []
    async with engine.connect() as connection:
        for number, statement in enumerate(statements, 1):
            if not statement.sql.lstrip().upper().startswith(("SELECT", "WITH")):
                # a setting (SET LOCAL jit = off): in force for the plans after it, as in the run
                await connection.exec_driver_sql(statement.sql, statement.parameters)
                parts.append(f"-- statement {number}, run as it is:\n{statement.sql}\n")
                continue
            result = await connection.exec_driver_sql(prefix + statement.sql, statement.parameters)
            rows = result.all()
            plan = [row[0] for row in rows] if postgres else _sqlite_tree(rows)
            parts.append(
                f"-- statement {number}: {statement.seconds * 1000:.1f} ms in the run\n"
                f"{statement.sql}\n-- parameters: {_short(statement.parameters)}\n"
                + "\n".join(plan)
                + "\n"
            )
    return "\n".join(parts)


def _short(parameters: Any, most: int = 12) -> str:
    """The parameters, a long list of them (the grid codes of a scope) cut short."""
    if isinstance(parameters, (list, tuple)) and len(parameters) > most:
        shown = ", ".join(repr(p) for p in parameters[:most])
        return f"({shown}, … {len(parameters) - most} more)"
    return repr(parameters)


def _sqlite_tree(rows: Sequence[Any]) -> list[str]:
    """EXPLAIN QUERY PLAN's rows (id, parent, _, detail) as an indented tree."""
    depth: dict[int, int] = {0: 0}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        lines.append("  " * depth[node] + str(detail))
    return lines
