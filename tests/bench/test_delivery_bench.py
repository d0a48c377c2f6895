"""The delivery benchmark, small (200 messages to 50 chats, 2 of them groups, 5% 429s and
3% 500s in the faulty phase, 1,000 due items), through its entry point: nothing lost,
nothing delivered twice, no limit breached (all read from the stand's log of the calls),
every due item handled. Breaches are a correctness property; the rates are printed but
not checked: a test of a benchmark must not depend on how fast the machine is."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURE = re.compile(r"^BENCH (\w+) (\d+(?:\.\d+)?)$", re.MULTILINE)
RUN_SECONDS = 420  # two bot start-ups and 2 x 200 messages at 30/s; a loaded machine


def run_benchmark(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bench.delivery", *args]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stdout, stderr = "", ""
    try:
        stdout, stderr = process.communicate(timeout=RUN_SECONDS)
    finally:
        if process.poll() is None:
            # Interrupted, it stops its bot process and stand on the way out.
            process.send_signal(signal.SIGINT)
            try:
                process.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.mark.timeout(RUN_SECONDS + 120)
def test_small_delivery_loses_nothing_and_breaches_no_limit() -> None:
    result = run_benchmark(
        *("--messages", "200", "--chats", "50", "--groups", "2", "--due", "1000"),
        *("--rate-429", "0.05", "--rate-500", "0.03", "--seed", "7"),
    )
    print(result.stdout, result.stderr)

    assert result.returncode == 0, result.stdout + result.stderr
    printed = {name: float(value) for name, value in FIGURE.findall(result.stdout)}
    assert printed["delivery_lost"] == 0
    assert printed["delivery_twice"] == 0
    assert printed["limit_breaches"] == 0
    assert printed["limit_breaches_faulty"] == 0
    assert printed["delivery_refused_429"] > 0  # the faults did fire
    assert printed["delivery_refused_500"] > 0
    assert printed["delivery_msgs_per_s"] > 0
    assert printed["delivery_faulty_msgs_per_s"] > 0
    assert "due_claim_1000_s" in printed  # printed only once every item was handled
