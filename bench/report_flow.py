"""The resident report flow: gridbot against a bare aiogram echo bot, in the same run.

``python -m bench.report_flow [--residents N] [--flows M] [--rounds R]`` (``make bench``:
N=10, M=3, R=3). Each bot runs as its own process (``gridbot run``; ``bench/echo_bot.py``)
against its own sandbox stand, which lives in this process so that replies are seen the
moment the stand stores them (``watch.StandWatch``). In each round both bots start (gridbot
on a fresh database) and play one warm-up flow per resident; then they are measured in
turn, one flow per resident at a time (a slice): the echo bot's slice, gridbot's, the echo
bot's, and so on, M times each, one bot at a time so that they never compete for the CPU.
N residents play at once. A shared machine's speed drifts from one second to the next:
slices a second apart see the same machine, and the ratio printed is the median of the
rounds' ratios (each round's slices pooled per bot); the latencies are those of all rounds
together. With ``--ceilings`` the reference bots of ``bench/calls_bot.py`` (gridbot's calls
and nothing else; then the same with a durable inbox in plain SQL) take their slices
between the two. docs/benchmarks.md describes the figures
printed as ``BENCH name value``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gridbot.bot.demo import sqlite_url

from .figures import Measured, print_figures
from .org import (
    Resident,
    grid_teams,
    make_residents,
    personas,
    read_demo_org,
    with_residents,
    write_org_file,
)
from .play import ECHO, GRIDBOT
from .processes import (
    bot_environment,
    gridbot_command,
    python_command,
    run_in_workdir,
    run_to_end,
)
from .stand import Contender, measure_in_turn

WARM_UP_FLOWS = 1
MAX_REPORTS_PER_HOUR = 5  # gridbot refuses a resident's sixth report within an hour
ECHO_BOT = Path(__file__).resolve().parent / "echo_bot.py"
CALLS_BOT = Path(__file__).resolve().parent / "calls_bot.py"
# The reference bots of --ceilings, by figure name: whether each keeps a durable store.
CEILINGS = {"calls_only": False, "calls_durable": True}


@dataclass(frozen=True)
class Plan:
    residents: int
    flows: int
    profile: str | None = None  # a file for cProfile's statistics of the gridbot process
    by_step: bool = False  # print the percentiles of each step too
    rounds: int = 1
    ceilings: bool = False  # also the reference bots (bench/calls_bot.py)


async def run(plan: Plan, workdir: Path) -> int:
    demo = read_demo_org()
    residents = make_residents(plan.residents, demo)
    org = with_residents(demo, residents)
    expected = plan.residents * (plan.flows + WARM_UP_FLOWS)
    pairs: list[tuple[Measured, Measured]] = []
    ceilings: list[dict[str, Measured]] = []
    for number in range(1, plan.rounds + 1):
        folder = workdir / f"round{number}"
        folder.mkdir()
        database = folder / "gridbot.db"
        await import_org(org, database, folder)
        echo_bot = Contender(ECHO, python_command(str(ECHO_BOT)), folder)
        gridbot = Contender(
            GRIDBOT,
            gridbot_command("run", profile=plan.profile and f"{plan.profile}.{number}"),
            folder,
            sqlite_url(database),
            personas(org),
        )
        references = reference_bots(org, residents, folder) if plan.ceilings else {}
        contenders = [echo_bot, *references.values(), gridbot]
        echo, *measured, report = await measure_in_turn(
            contenders, residents, plan.flows, WARM_UP_FLOWS
        )
        if plan.ceilings:
            ceilings.append(dict(zip(references, measured, strict=True)))
        cases = count_cases(database)
        if cases != expected:
            print(f"bench: {cases} cases in round {number}, expected {expected}", file=sys.stderr)
            return 1
        pairs.append((report, echo))
    steps = len(GRIDBOT.steps) if plan.by_step else None
    print_figures(pairs, plan.residents, plan.flows, expected, steps, ceilings)
    return 0


def reference_bots(
    org: dict[str, Any], residents: list[Resident], folder: Path
) -> dict[str, Contender]:
    """The reference bots, by figure name, on stands furnished as gridbot's, playing
    gridbot's script."""
    teams = folder / "teams.json"
    teams.write_text(json.dumps(grid_teams(org, residents)))
    found = {}
    for name, durable in CEILINGS.items():
        env = {"CALLS_BOT_TEAMS": str(teams)}
        if durable:
            env["CALLS_BOT_DATABASE"] = str(folder / f"{name}.db")
        command = python_command(str(CALLS_BOT))
        script = replace(GRIDBOT, name=name)
        found[name] = Contender(script, command, folder, None, personas(org), env)
    return found


async def import_org(org: dict[str, Any], database: Path, workdir: Path) -> None:
    """``gridbot org import`` (migrations included) of the demo org plus the residents."""
    org_file = workdir / "org.yaml"
    write_org_file(org_file, org)
    env = bot_environment(sqlite_url(database), stand_url=None)
    await run_to_end(gridbot_command("org", "import", str(org_file)), env, workdir)


def count_cases(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("SELECT count(*) FROM cases").fetchone()
    return int(count)


def parse_plan(argv: list[str] | None) -> Plan:
    parser = argparse.ArgumentParser(prog="python -m bench.report_flow", description=__doc__)
    parser.add_argument("--residents", type=int, default=10, help="residents at once (N)")
    parser.add_argument("--flows", type=int, default=3, help="measured flows each (M)")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="run gridbot under cProfile, statistics to FILE.<round>",
    )
    parser.add_argument(
        "--by-step", action="store_true", help="also the percentiles of each step of the flow"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="echo, then gridbot, this many times (R)"
    )
    parser.add_argument(
        "--ceilings",
        action="store_true",
        help="also gridbot's calls without gridbot (bench/calls_bot.py), plain and durable",
    )
    args = parser.parse_args(argv)
    most = MAX_REPORTS_PER_HOUR - WARM_UP_FLOWS
    if args.residents < 1:
        parser.error("--residents must be at least 1")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if not 1 <= args.flows <= most:
        parser.error(
            f"--flows must be 1..{most}: gridbot takes {MAX_REPORTS_PER_HOUR} reports an "
            "hour from a resident, and the warm-up flow is one of them"
        )
    profile = str(Path(args.profile).resolve()) if args.profile else None
    return Plan(args.residents, args.flows, profile, args.by_step, args.rounds, args.ceilings)


def main(argv: list[str] | None = None) -> int:
    plan = parse_plan(argv)
    return run_in_workdir(lambda workdir: run(plan, workdir), "gridbot-bench-")


if __name__ == "__main__":
    sys.exit(main())
