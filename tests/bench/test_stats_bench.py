"""The statistics benchmark, small (4,000 cases, 3,000 residents, two measured runs a figure),
through its entry point: it writes its synthetic district, prints every figure as a number
(on PostgreSQL too when the test server is there), and the district it wrote is plausible.
The times are not checked: a benchmark measures, a test of it must not depend on how fast
the machine is. The district's shape is checked: it is what the figures are measured on.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from .running import ROOT, figures

CASES, RESIDENTS = 4_000, 3_000
NOW = "2026-11-20T15:00:00+08:00"  # a fixed end of the three years: the same district each run
FIGURES = (
    "stats_district_ms",
    "stats_street_ms",
    "stats_district_first_ms",
    "stats_street_first_ms",
    "stats_district_quarter_ms",
    "stats_street_quarter_ms",
    "count_district_ms",
    "count_street_ms",
    "district_generate_s",
)
RUN_SECONDS = 420
pytestmark = pytest.mark.timeout(RUN_SECONDS + 60)  # the first test to run waits for the bench
OPEN = ("submitted", "assigned", "in_progress", "escalated", "transferred", "resolved")
DONE = ("closed", "confirmed", "rejected", "cancelled")


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The benchmark's output, and the cache directory holding its SQLite district."""
    cache = tmp_path_factory.mktemp("district")
    command = [sys.executable, "-m", "bench.stats", "--cases", str(CASES), "--residents",
               str(RESIDENTS), "--runs", "2", "--cache", str(cache), "--now", NOW]  # fmt: skip
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=RUN_SECONDS, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    yield result.stdout + result.stderr, cache


@pytest.fixture(scope="module")
def district(bench_run: tuple[str, Path]) -> Iterator[tuple[sqlite3.Connection, str]]:
    """The SQLite district the benchmark wrote, and its "now" as stored (UTC text)."""
    _, cache = bench_run
    (database,) = cache.glob("district-*.db")
    note = json.loads(database.with_suffix(".json").read_text(encoding="utf-8"))
    now = datetime.fromisoformat(note["now"]).strftime("%Y-%m-%d %H:%M:%S")
    connection = sqlite3.connect(database)
    try:
        yield connection, now
    finally:
        connection.close()


def one(connection: sqlite3.Connection, query: str, *args: object) -> int:
    (value,) = connection.execute(query, args).fetchone()
    return int(value or 0)


def test_the_small_statistics_benchmark_prints_every_figure(bench_run: tuple[str, Path]) -> None:
    output, _ = bench_run
    printed = figures(output)
    expected = list(FIGURES)
    if os.environ.get("GRIDBOT_TEST_PG_URL"):
        expected += [f"pg_{name}" for name in FIGURES]
    missing = [name for name in expected if name not in printed]
    assert not missing, f"no number for {missing} in:\n{output}"
    assert printed["stats_cases"] == str(CASES)


def test_the_district_has_its_size_and_every_case_lies_on_a_grid(
    district: tuple[sqlite3.Connection, str],
) -> None:
    db, _ = district
    assert one(db, "SELECT count(*) FROM cases") == CASES
    residents = "SELECT count(*) FROM role_assignments WHERE role = 'resident'"
    assert one(db, residents) == RESIDENTS
    assert one(db, "SELECT count(*) FROM org_units WHERE level = 'street'") == 11
    assert 95 <= one(db, "SELECT count(*) FROM org_units WHERE level = 'community'") <= 110
    assert 1_100 <= one(db, "SELECT count(*) FROM org_units WHERE level = 'grid'") <= 1_200
    off_grid = """SELECT count(*) FROM cases c
        LEFT JOIN org_units u ON u.code = c.grid_code AND u.level = 'grid' WHERE u.id IS NULL"""
    assert one(db, off_grid) == 0
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert one(db, "SELECT count(DISTINCT number) FROM cases") == CASES
    assert one(db, "SELECT count(*) FROM care_people") > 0
    assert one(db, "SELECT count(*) FROM care_visits") > 0


def share(db: sqlite3.Connection, where: str, of: str = "cases") -> float:
    return one(db, f"SELECT count(*) FROM {of} WHERE {where}") / one(
        db, f"SELECT count(*) FROM {of}"
    )


def test_statuses_levels_kinds_and_ratings_are_in_their_usual_ranges(
    district: tuple[sqlite3.Connection, str],
) -> None:
    db, now = district
    assert 0.88 <= share(db, "status IN ('closed', 'confirmed')") <= 0.98
    assert 0.002 <= share(db, f"status IN {OPEN}") <= 0.05
    assert 0.02 <= share(db, "status = 'rejected'") <= 0.08
    late = f"""status IN {OPEN} AND status <> 'resolved'
        AND (resolve_by < '{now}' OR accepted_at IS NULL AND respond_by < '{now}')"""
    assert one(db, f"SELECT count(*) FROM cases WHERE {late}") > 0
    assert share(db, "level = 'grid'") >= 0.85
    assert 0.03 <= share(db, "level = 'community'") <= 0.12
    assert 0.005 <= share(db, "level IN ('street', 'department')") <= 0.05
    assert 0.03 <= share(db, "kind = 'wish'") <= 0.08
    assert 0.15 <= share(db, "kind = 'hazard'") <= 0.30
    assert 0.70 <= share(db, "value = 'satisfied'", "ratings") <= 0.90
    assert 0.08 <= share(db, "value = 'basically_satisfied'", "ratings") <= 0.25
    assert 0.01 <= share(db, "value = 'unsatisfied'", "ratings") <= 0.08
    closed_unrated = """status = 'closed' AND NOT EXISTS
        (SELECT 1 FROM ratings r WHERE r.case_id = cases.id)"""
    assert 0.05 <= share(db, closed_unrated) <= 0.30


def test_every_unsatisfied_rating_reopened_its_case(
    district: tuple[sqlite3.Connection, str],
) -> None:
    db, _ = district
    unsatisfied = """SELECT count(DISTINCT c.id) FROM cases c JOIN ratings r ON r.case_id = c.id
        WHERE r.value = 'unsatisfied'"""
    assert one(db, unsatisfied) > 0
    assert one(db, unsatisfied + " AND c.reopen_count = 0") == 0


def test_deadlines_and_times_follow_each_other(district: tuple[sqlite3.Connection, str]) -> None:
    db, now = district
    assert one(db, "SELECT count(*) FROM cases WHERE respond_by IS NULL OR resolve_by IS NULL") == 0
    assert one(db, "SELECT count(*) FROM cases WHERE respond_by <= created_at") == 0
    assert one(db, "SELECT count(*) FROM cases WHERE resolve_by < respond_by") == 0
    assert one(db, "SELECT count(*) FROM cases WHERE accepted_at < created_at") == 0
    assert one(db, "SELECT count(*) FROM cases WHERE resolved_at < accepted_at") == 0
    assert one(db, "SELECT count(*) FROM cases WHERE closed_at < resolved_at") == 0
    assert one(db, f"SELECT count(*) FROM case_events WHERE at > '{now}'") == 0
    assert one(db, f"SELECT count(*) FROM cases WHERE created_at > '{now}'") == 0
    # some deadlines missed, most met
    assert 0.02 <= share(db, "accepted_at > respond_by") <= 0.15
    assert 0.01 <= share(db, "resolved_at > resolve_by") <= 0.12
    backwards = """SELECT count(*) FROM case_events a JOIN case_events b
        ON b.case_id = a.case_id AND b.id > a.id AND b.at < a.at"""
    assert one(db, backwards) == 0


def test_closed_cases_have_their_follow_up_visits(
    district: tuple[sqlite3.Connection, str],
) -> None:
    db, now = district
    closed = "SELECT count(*) FROM cases WHERE kind <> 'wish' AND status = 'closed'"
    without = closed + " AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.case_id = cases.id)"
    assert one(db, without) == 0
    assert 0.80 <= share(db, "done_at IS NOT NULL", "visits") < 1.0
    assert one(db, f"SELECT count(*) FROM visits WHERE done_at IS NULL AND due_at < '{now}'") > 0
    assert one(db, "SELECT count(*) FROM visits WHERE done_at < due_at") == 0
