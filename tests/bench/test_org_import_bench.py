"""The org import benchmark, small (the district with 3,000 residents instead of 100,000),
through its entry point: every figure is printed as a number, the databases hold what the
files name, and the unchanged re-import wrote nothing. The times are not checked: a
benchmark measures, a test of it must not depend on how fast the machine is."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import yaml

from .running import ROOT, figures

RESIDENTS = 3_000
FIGURES = (
    "org_import_district_s",
    "org_reimport_district_s",
    "org_show_district_s",
    "org_import_residents_100k_s",
)


def stored(database: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database)) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("org_units", "people", "role_assignments")
        }


def named(org_file: Path) -> dict[str, int]:
    org = yaml.load(org_file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return {
        "org_units": len(org["units"]),
        "people": len(org["people"]),
        "role_assignments": sum(len(person["roles"]) for person in org["people"]),
    }


def test_the_small_org_benchmark_prints_every_figure_and_imports_the_district(
    tmp_path: Path,
) -> None:
    command = [sys.executable, "-m", "bench.org_import", "--residents", str(RESIDENTS),
               "--dir", str(tmp_path)]  # fmt: skip
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    output = result.stdout + result.stderr

    assert result.returncode == 0, output
    assert sorted(figures(output)) == sorted(FIGURES)
    reimport = next(line for line in output.splitlines() if "org_reimport_district_s:" in line)
    assert "SELECT" in reimport and not re.search(r"INSERT|UPDATE|DELETE", reimport)
    district = named(tmp_path / "district.yaml")
    assert district["org_units"] == 1262 and district["people"] > 2_000
    assert stored(tmp_path / "district.db") == district
    residents = named(tmp_path / "residents.yaml")
    assert residents["people"] == district["people"] + RESIDENTS
    assert stored(tmp_path / "residents.db") == residents
