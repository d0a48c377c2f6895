"""The report-flow benchmark, small (2 residents, 1 flow each, 1 round), through its entry point:
it runs to the end and prints every figure as a number. The values are not checked: a
benchmark measures, a test of it must not depend on how fast the machine is."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES = (
    "report_flow_vs_echo",
    "report_step_p95_ms",
    "report_updates_per_s",
    "echo_updates_per_s",
    "report_step_p50_ms",
    "echo_step_p95_ms",
    "residents",
    "flows",
    "rounds",
    "round1_vs_echo",
    "report_flows_ok",
)
FIGURE = re.compile(r"^BENCH (\w+) (\d+(?:\.\d+)?)$", re.MULTILINE)
RUN_SECONDS = 420  # two bot start-ups and 28 steps; generous for a loaded 2-core machine


def run_benchmark(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bench.report_flow", *args]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stdout, stderr = "", ""
    try:
        stdout, stderr = process.communicate(timeout=RUN_SECONDS)
    finally:
        if process.poll() is None:
            # Interrupted, it stops its bot processes and stand; killed, it would leave
            # the bots polling a stand that is gone.
            process.send_signal(signal.SIGINT)
            try:
                process.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.mark.timeout(RUN_SECONDS + 120)
def test_the_small_benchmark_runs_through_and_prints_every_figure() -> None:
    result = run_benchmark("--residents", "2", "--flows", "1", "--rounds", "1")

    assert result.returncode == 0, result.stdout + result.stderr
    printed = dict(FIGURE.findall(result.stdout))
    missing = [name for name in FIGURES if name not in printed]
    assert not missing, f"no number for {missing} in:\n{result.stdout}\n{result.stderr}"
