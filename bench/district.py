"""A synthetic district written straight into a gridbot database, for the statistics
benchmark (docs/benchmarks.md, "Statistics").

``python -m bench.district --db URL [--cases N] [--residents N] [--small] [--seed S]
[--now ISO] [--analyze]``: migrates the database to head (it must hold no org yet), then
writes 东丽区 with 11 streets, 103 communities and 1,147 grids, their staff, N residents
(700,000) and N cases (1,000,000) over the three years ending at ``--now`` (this minute),
with their events, ratings, follow-up visits and volunteers' points, and the key residents
with their care visits. ``--small``: 20,000 cases and 14,000 residents. The same seed and
"now" give the same district; the organisation does not depend on the sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table

from gridbot.domain.org import Category, Role
from gridbot.storage.migrate import upgrade
from gridbot.storage.repositories.base import table_of
from gridbot.storage.rows import (
    CarePersonRow,
    CareVisitRow,
    CaseEventRow,
    CaseRow,
    CategoryRow,
    OrgUnitRow,
    PersonRow,
    PointsRow,
    RatingRow,
    RoleAssignmentRow,
    VisitRow,
)

from .district_care import care_rows
from .district_cases import Draws, day_counts, new_case
from .district_lives import Lives
from .district_model import District
from .district_org import GRIDS, build_district, resident_rows
from .district_trail import Trail
from .district_write import Loader

TZ = ZoneInfo("Asia/Shanghai")
BATCH_CASES = 5_000
BATCH_PEOPLE = 20_000
Batch = list[tuple[Table, list[dict[str, Any]]]]


class NotEmpty(Exception):
    """The database given already holds an organisation: nothing is written."""


@dataclass(frozen=True)
class Size:
    cases: int
    residents: int

    @property
    def key(self) -> str:
        return f"{self.cases}c-{self.residents}r"


FULL = Size(1_000_000, 700_000)
SMALL = Size(20_000, 14_000)


@dataclass
class Generated:
    """What was written and how long it took."""

    size: Size
    seed: int
    now: datetime
    seconds: float = 0.0
    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        tally = ", ".join(f"{n:,} {name}" for name, n in sorted(self.counts.items()))
        return f"{tally}; {self.rows:,} rows in {self.seconds:.1f} s"


async def generate(
    url: str, size: Size, *, seed: int = 1, now: datetime | None = None, analyze: bool = False
) -> Generated:
    """Migrate ``url`` to head and write the district into it (it must be empty)."""
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    started = time.perf_counter()
    await asyncio.to_thread(upgrade, url)
    loader = Loader(url)
    done = Generated(size, seed, now)
    try:
        if not await loader.is_empty():
            raise NotEmpty(f"{url} already holds an organisation")
        district = build_district(random.Random(f"{seed}:org"), size.residents)
        await _write_org(loader, district, random.Random(f"{seed}:residents"), done)
        numbers = await _write_cases(loader, district, random.Random(f"{seed}:cases"), done)
        await _write_care(loader, district, random.Random(f"{seed}:care"), done)
        await loader.finish(numbers, analyze=analyze)
    finally:
        await loader.dispose()
    done.rows, done.seconds = loader.rows, time.perf_counter() - started
    return done


async def _write_org(
    loader: Loader, district: District, rng: random.Random, done: Generated
) -> None:
    await loader.write(
        [
            (table_of(OrgUnitRow), district.units),
            (table_of(CategoryRow), district.categories),
            (table_of(PersonRow), district.staff),
            (table_of(RoleAssignmentRow), district.roles),
        ]
    )
    done.counts.update(units=len(district.units), staff=len(district.staff))
    for people, roles in resident_rows(district, rng, BATCH_PEOPLE):
        await loader.write([(table_of(PersonRow), people), (table_of(RoleAssignmentRow), roles)])
        done.counts["residents"] += len(people)


class CaseBatch:
    def __init__(self) -> None:
        self.cases: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.ratings: list[dict[str, Any]] = []
        self.visits: list[dict[str, Any]] = []
        self.points: list[dict[str, Any]] = []

    def add(self, trail: Trail) -> None:
        self.cases.append(trail.case)
        self.events += trail.events
        self.ratings += trail.ratings
        self.visits += trail.visits
        self.points += trail.points

    def tables(self) -> Batch:
        return [
            (table_of(CaseRow), self.cases),
            (table_of(CaseEventRow), self.events),
            (table_of(RatingRow), self.ratings),
            (table_of(VisitRow), self.visits),
            (table_of(PointsRow), self.points),
        ]

    def count(self, counts: Counter[str]) -> None:
        counts.update(
            cases=len(self.cases),
            case_events=len(self.events),
            ratings=len(self.ratings),
            visits=len(self.visits),
            points=len(self.points),
        )


async def _write_cases(
    loader: Loader, district: District, rng: random.Random, done: Generated
) -> dict[int, int]:
    """Every case in the order it came in (ids and numbers follow time); the last number
    of each year."""
    categories = {row["code"]: _category(row) for row in district.categories}
    draws, lives = Draws(district, categories, rng), Lives(district, rng, TZ, done.now)
    numbers: dict[int, int] = {}
    batch, case_id = CaseBatch(), 0
    for midnight, count in day_counts(done.size.cases, done.now, TZ):
        for draw in draws.day(midnight, count, done.now):
            case_id += 1
            year = draw.at.astimezone(TZ).year
            numbers[year] = numbers.get(year, 0) + 1
            trail = Trail(new_case(case_id, f"{year}-{numbers[year]:06d}", draw, rng), done.now)
            lives.play(trail, draw)
            batch.add(trail)
        if len(batch.cases) >= BATCH_CASES:
            await loader.write(batch.tables())
            batch.count(done.counts)
            batch = CaseBatch()
    await loader.write(batch.tables())
    batch.count(done.counts)
    return numbers


async def _write_care(
    loader: Loader, district: District, rng: random.Random, done: Generated
) -> None:
    people: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    for person, their_visits in care_rows(district, rng, done.now, TZ):
        people.append(person)
        visits += their_visits
        if len(visits) >= BATCH_PEOPLE:
            await loader.write(
                [(table_of(CarePersonRow), people), (table_of(CareVisitRow), visits)]
            )
            done.counts.update(care_people=len(people), care_visits=len(visits))
            people, visits = [], []
    await loader.write([(table_of(CarePersonRow), people), (table_of(CareVisitRow), visits)])
    done.counts.update(care_people=len(people), care_visits=len(visits))


def _category(row: dict[str, Any]) -> Category:
    return Category(
        code=row["code"],
        name=row["name"],
        route_to=Role(row["route_to"]),
        department=row["department"],
        respond_hours=row["respond_hours"],
        resolve_hours=row["resolve_hours"],
        follow_up_days=row["follow_up_days"],
        requires_evidence=row["requires_evidence"],
        active=row["active"],
        name_en=row["name_en"],
        id=row["id"],
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.district", description=__doc__)
    parser.add_argument("--db", required=True, help="database URL (sqlite+aiosqlite:///file, "
                        "postgresql+asyncpg://...)")  # fmt: skip
    parser.add_argument("--cases", type=int, default=FULL.cases)
    parser.add_argument("--residents", type=int, default=FULL.residents)
    parser.add_argument("--small", action="store_true", help=f"{SMALL.cases:,} cases, "
                        f"{SMALL.residents:,} residents (CI)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", type=datetime.fromisoformat, help="the end of the three years "
                        "(ISO, with its offset); default: this minute")  # fmt: skip
    parser.add_argument("--analyze", action="store_true", help="SQLite: run ANALYZE at the end")
    args = parser.parse_args(argv)
    if args.cases < 1 or args.residents < GRIDS:
        parser.error(f"--cases must be at least 1 and --residents at least one a grid ({GRIDS:,})")
    if args.now is not None and args.now.tzinfo is None:
        parser.error("--now needs its offset, e.g. 2026-11-30T10:00:00+08:00")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    size = SMALL if args.small else Size(args.cases, args.residents)
    done = asyncio.run(generate(args.db, size, seed=args.seed, now=args.now, analyze=args.analyze))
    print(f"district: {done.summary()}", file=sys.stderr)
    print(f"BENCH district_generate_s {done.seconds:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
