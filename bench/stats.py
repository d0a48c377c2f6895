"""The statistics of a whole district and of one street: how long /stats takes on a
synthetic district of a million cases, on SQLite and on PostgreSQL.

``python -m bench.stats [--cases N] [--residents N] [--small] [--seed S] [--runs R]
[--pg URL] [--cache DIR] [--fresh] [--profile FILE] [--explain FILE]`` (``make bench``:
1,000,000 cases, 700,000 residents, R=5). The district (``bench/district.py``) is built
once per size and seed and kept (``bench/stats_db.py``); on PostgreSQL too when ``--pg`` or
``GRIDBOT_TEST_PG_URL`` names a server. Each figure times the real path: a reading unit of
work, the organisation as the bot holds it (``OrgCache``), and ``compute_stats`` for the
unit over the period, as of the district's "now". Each runs 1 + 5 + R times in a row: the
first run (connections, statement compilation, cold caches) is printed apart, five more
settle the prepared statements as a long-running bot has them (PostgreSQL switches to a
generic plan after five), and the figure is the median of the last R. A bare
``SELECT count(*)`` over the same cases is timed beside them for scale.
docs/benchmarks.md describes every ``BENCH name value``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from gridbot.domain.metrics import Period, parse_period
from gridbot.domain.org import OrgUnit, UnitLevel
from gridbot.domain.orgtree import OrgTree
from gridbot.services.orgcache import OrgCache
from gridbot.services.stats import compute_stats
from gridbot.storage.database import Database
from gridbot.storage.rows import CaseRow

from .district import FULL, SMALL, Size
from .stats_db import CACHE, Built, postgres_district, sqlite_district
from .stats_sql import Recorder, explain

TZ = ZoneInfo("Asia/Shanghai")
SETTLE = 5  # runs after the first before the measured ones (PostgreSQL's plan cache)
PERIODS = ((None, ""), ("quarter", "_quarter"))  # this month (what /stats shows), the quarter
Figures = list[tuple[str, str]]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


async def timed(runs: int, work: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    """(the first run, the median of ``runs`` runs after the warm-up) in seconds. The
    warm-up (the first run and SETTLE more) brings each connection's prepared statements to
    where a long-running bot has them: PostgreSQL plans a prepared statement for its
    parameters five times, then may switch to one generic plan for good."""
    times = []
    for _ in range(1 + SETTLE + runs):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1 + SETTLE :])


class Bench:
    """The figures of one database."""

    def __init__(self, built: Built, runs: int, prefix: str) -> None:
        self.built, self.runs, self.prefix = built, runs, prefix
        self.db = Database(built.url)
        self.orgs = OrgCache()
        self.recorder = Recorder(self.db.reader_engine)

    async def stats(self, unit: OrgUnit, period: Period) -> None:
        async with self.db.reader() as uow:
            org = await self.orgs.current(uow)
            await compute_stats(uow, org, unit, period, self.built.now)

    async def count(self, scope: list[str] | None, period: Period) -> None:
        query = select(func.count()).where(
            CaseRow.created_at >= period.start, CaseRow.created_at < period.end
        )
        if scope is not None:
            query = query.where(CaseRow.grid_code.in_(scope))
        async with self.db.reader_engine.connect() as connection:
            await connection.scalar(query)

    async def run(self, profile: cProfile.Profile | None, plans: Path | None) -> Figures:
        async with self.db.reader() as uow:
            org = await self.orgs.current(uow)
        district = next(unit for unit in org.tree if unit.parent_code is None)
        street = busiest_street(org.tree)
        print(
            f"bench: {self.prefix or 'sqlite_'}: street {street.code} {street.name}",
            file=sys.stderr,
        )
        found: Figures = []
        for word, suffix in PERIODS:
            period = parse_period(word, self.built.now, TZ)
            for unit, name in ((district, "district"), (street, "street")):
                first, warm = await timed(self.runs, partial(self.stats, unit, period))
                found.append((f"stats_{name}{suffix}_ms", ms(warm)))
                found.append((f"stats_{name}{suffix}_first_ms", ms(first)))
                scope = None if unit is district else grids_under(org.tree, unit)
                _, bare = await timed(self.runs, partial(self.count, scope, period))
                found.append((f"count_{name}{suffix}_ms", ms(bare)))
        if profile is not None:
            period = parse_period(None, self.built.now, TZ)
            profile.enable()
            await self.stats(district, period)
            profile.disable()
        if plans is not None:
            await self.explain(district, street, plans)
        found.append(("district_generate_s", f"{self.built.generate_seconds:.1f}"))
        return [(self.prefix + name, value) for name, value in found]

    async def explain(self, district: OrgUnit, street: OrgUnit, plans: Path) -> None:
        period = parse_period(None, self.built.now, TZ)
        text = []
        for unit in (district, street):
            self.recorder.found.clear()
            self.recorder.recording = True
            await self.stats(unit, period)
            self.recorder.recording = False
            text.append(f"==== {unit.code} {period.label}\n")
            text.append(await explain(self.db.reader_engine, list(self.recorder.found)))
        save(plans, "\n".join(text))
        print(f"bench: plans in {plans}", file=sys.stderr)

    async def close(self) -> None:
        await self.db.dispose()


def busiest_street(tree: OrgTree) -> OrgUnit:
    """The street with the most grids (its figures read the most cases)."""
    streets = [unit for unit in tree if unit.level == UnitLevel.STREET]
    return max(streets, key=lambda street: (len(grids_under(tree, street)), street.code))


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def grids_under(tree: OrgTree, unit: OrgUnit) -> list[str]:
    return [u.code for u in tree.descendants(unit.code) if u.level == UnitLevel.GRID]


async def build(args: argparse.Namespace, size: Size) -> list[tuple[Built, str]]:
    """The districts to measure, with the prefix of their figures."""
    started = time.perf_counter()
    how: dict[str, Any] = {"cache": args.cache, "fresh": args.fresh, "now": args.now}
    found = [(await sqlite_district(size, args.seed, **how), "")]
    if args.pg:
        found.append((await postgres_district(args.pg, size, args.seed, **how), "pg_"))
    for built, prefix in found:
        state = "kept" if built.reused else "written"
        print(f"bench: {prefix or 'sqlite_'}district {state}: {built.summary}", file=sys.stderr)
    print(f"bench: districts ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return found


async def run(args: argparse.Namespace, size: Size) -> Figures:
    districts = await build(args, size)
    profile = cProfile.Profile() if args.profile else None
    figures: Figures = [("stats_cases", str(size.cases)), ("stats_residents", str(size.residents))]
    for built, prefix in districts:
        bench = Bench(built, args.runs, prefix)
        plans = args.explain and args.explain.with_name(
            f"{args.explain.name}.{prefix or 'sqlite_'}txt"
        )
        try:
            figures += await bench.run(profile, plans)
        finally:
            await bench.close()
    if profile is not None:
        profile.dump_stats(args.profile)
        print(f"bench: profile of the district's month in {args.profile}", file=sys.stderr)
    return figures


def parse_args(argv: list[str] | None) -> tuple[argparse.Namespace, Size]:
    parser = argparse.ArgumentParser(prog="python -m bench.stats", description=__doc__)
    parser.add_argument("--cases", type=int, default=FULL.cases)
    parser.add_argument("--residents", type=int, default=FULL.residents)
    parser.add_argument("--small", action="store_true",
                        help=f"{SMALL.cases:,} cases, {SMALL.residents:,} residents")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="runs of each figure (R)")
    parser.add_argument("--pg", default=os.environ.get("GRIDBOT_TEST_PG_URL"),
                        help="a PostgreSQL server URL (default: $GRIDBOT_TEST_PG_URL)")  # fmt: skip
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"default: {CACHE}")
    parser.add_argument("--fresh", action="store_true", help="write the districts again")
    parser.add_argument("--now", type=datetime.fromisoformat,
                        help="where a new district's three years end (ISO, offset)")  # fmt: skip
    parser.add_argument("--profile", metavar="FILE", help="cProfile of one district month run")
    parser.add_argument("--explain", metavar="FILE", type=Path,
                        help="every statement's plan: FILE.sqlite_txt, FILE.pg_txt")  # fmt: skip
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.now is not None and args.now.tzinfo is None:
        parser.error("--now needs its offset, e.g. 2026-11-30T10:00:00+08:00")
    size = SMALL if args.small else Size(args.cases, args.residents)
    return args, size


def main(argv: list[str] | None = None) -> int:
    args, size = parse_args(argv)
    started = time.perf_counter()
    try:
        figures = asyncio.run(run(args, size))
    except KeyboardInterrupt:
        return 130
    for name, value in figures:
        print(f"BENCH {name} {value}", flush=True)
    print(f"bench: done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
