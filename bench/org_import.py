"""The organisation at district size through ``gridbot org import`` and ``gridbot org show``.

``python -m bench.org_import [--residents N] [--seed S] [--dir DIR]`` (``make bench``:
100,000 residents). The synthetic district of the statistics benchmark
(``bench/district_org.py``: 1,262 units, some 5,500 staff with 8,800 roles) is written as
an org file in the demo's format, and imported on SQLite in a temporary directory (or
``--dir``) by the functions the CLI runs (``gridbot.bot.cli_org``): a first import into a
new database (its migrations included, as an administrator's first import has them), an
unchanged re-import, ``org show`` of the whole tree; then the district with ``N``
residents into a second new database. Each is timed once (wall clock); the statements it
ran are counted by kind. A re-import that writes anything, or a database that does not
hold what the file names, is an error (exit 1). docs/benchmarks.md, "Org data at district
size", describes every ``BENCH name value``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .district_orgfile import district_org
from .org import write_org_file

WRITES = ("INSERT", "UPDATE", "DELETE")
KINDS = ("units", "categories", "people")  # as the import's report names them


class Run:
    """One CLI command, timed, with its statements counted and its output kept."""

    def __init__(self) -> None:
        self.statements: Counter[str] = Counter()
        event.listen(Engine, "before_cursor_execute", self._count)

    def _count(self, *args: Any) -> None:
        self.statements[str(args[2]).split(None, 1)[0].upper()] += 1

    def __call__(self, command: Callable[[], int]) -> tuple[float, str]:
        self.statements.clear()
        out = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out):
            code = command()
        seconds = time.perf_counter() - started
        if code != 0:
            raise SystemExit(f"the command failed ({code}):\n{out.getvalue()}")
        return seconds, out.getvalue()

    def counted(self) -> str:
        return ", ".join(f"{n} {kind}" for kind, n in sorted(self.statements.items()))


@contextlib.contextmanager
def database(path: Path) -> Iterator[None]:
    """The CLI's settings pointed at ``path``."""
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{path}"
    try:
        yield
    finally:
        if before is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = before


def check_stored(path: Path, org: dict[str, Any]) -> None:
    """The database holds the file's units, people and roles, each once."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        stored = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("org_units", "people", "role_assignments")
        }
    wanted = {
        "org_units": len(org["units"]),
        "people": len(org["people"]),
        "role_assignments": sum(len(person["roles"]) for person in org["people"]),
    }
    if stored != wanted:
        raise SystemExit(f"stored {stored}, the file names {wanted}")


def bench(residents: int, seed: int, directory: Path) -> None:
    from gridbot.bot.cli_org import import_command, show_command

    os.environ.setdefault("BOT_TOKEN", "1:bench")  # the CLI's settings ask for one
    run = Run()
    district = district_org(seed)
    crowded = district_org(seed, residents)
    files = {"district": directory / "district.yaml", "residents": directory / "residents.yaml"}
    write_org_file(files["district"], district)
    write_org_file(files["residents"], crowded)
    roles = sum(len(person["roles"]) for person in district["people"])
    print(f"district: {len(district['units'])} units, {len(district['people'])} staff, "
          f"{roles} roles; with residents: {len(crowded['people'])} people")  # fmt: skip

    def importing(name: str) -> Callable[[], int]:
        return lambda: import_command(argparse.Namespace(file=str(files[name])))

    with database(directory / "district.db"):
        seconds, _ = run(importing("district"))
        figure("org_import_district_s", seconds, run)
        check_stored(directory / "district.db", district)
        seconds, report = run(importing("district"))
        figure("org_reimport_district_s", seconds, run)
        unchanged = all(f"{kind}: 0 created, 0 updated" in report for kind in KINDS)
        if any(run.statements[kind] for kind in WRITES) or not unchanged:
            raise SystemExit(f"the unchanged re-import wrote: {run.counted()}\n{report}")
        seconds, shown = run(lambda: show_command(argparse.Namespace(code=None)))
        figure("org_show_district_s", seconds, run, f"{len(shown.splitlines())} lines")
    with database(directory / "residents.db"):
        seconds, _ = run(importing("residents"))
        figure("org_import_residents_100k_s", seconds, run, f"{residents} residents")
        check_stored(directory / "residents.db", crowded)


def figure(name: str, seconds: float, run: Run, note: str = "") -> None:
    print(f"  {name}: {run.counted()}{'; ' + note if note else ''}")
    print(f"BENCH {name} {seconds:.2f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.org_import", description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="keep the files and databases here")
    args = parser.parse_args(argv)
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
        bench(args.residents, args.seed, args.dir)
        return 0
    with tempfile.TemporaryDirectory(prefix="gridbot-org-bench-") as directory:
        bench(args.residents, args.seed, Path(directory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
