"""The synthetic district's generator (``python -m bench.district``) is deterministic: the
same seed and "now" write the same rows; another seed writes another district."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-06-15T10:30:00+08:00"
TABLES = ("org_units", "people", "role_assignments", "cases", "case_events", "ratings",
          "visits", "points_entries", "care_people", "care_visits", "case_sequences")  # fmt: skip


def generator(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bench.district", "--db", f"sqlite+aiosqlite:///{path}"]
    return subprocess.run(
        [*command, *args], cwd=ROOT, capture_output=True, text=True, timeout=240, check=False
    )


def write_district(path: Path, seed: int) -> str:
    result = generator(path, "--cases", "1500", "--residents", "1200", "--seed", str(seed),
                       "--now", NOW)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def fingerprint(path: Path) -> dict[str, str]:
    """A digest of each table's rows in id order."""
    found = {}
    with sqlite3.connect(path) as db:
        for table in TABLES:
            digest = hashlib.sha256()
            for row in db.execute(f"SELECT * FROM {table} ORDER BY 1"):
                digest.update(repr(row).encode())
            found[table] = digest.hexdigest()
    return found


@pytest.mark.timeout(600)
def test_the_same_seed_and_now_write_the_same_district(tmp_path: Path) -> None:
    printed = write_district(tmp_path / "a.db", seed=7)
    write_district(tmp_path / "b.db", seed=7)
    write_district(tmp_path / "c.db", seed=8)

    assert "BENCH district_generate_s " in printed
    first = fingerprint(tmp_path / "a.db")
    assert fingerprint(tmp_path / "b.db") == first
    other = fingerprint(tmp_path / "c.db")
    assert other["cases"] != first["cases"]
    assert other["org_units"] != first["org_units"]


def test_a_database_that_holds_an_organisation_is_refused(tmp_path: Path) -> None:
    write_district(tmp_path / "a.db", seed=1)
    result = generator(tmp_path / "a.db", "--cases", "10", "--residents", "1200")

    assert result.returncode != 0
    assert "already holds an organisation" in result.stderr
    with sqlite3.connect(tmp_path / "a.db") as db:
        assert db.execute("SELECT count(*) FROM cases").fetchone() == (1500,)
