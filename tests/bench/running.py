"""Running a benchmark as `make bench` does, from the tests: its entry point in a child
process, its figures read back from the ``BENCH name value`` lines it prints."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURE = re.compile(r"^BENCH (\w+) (\d+(?:\.\d+)?)$", re.MULTILINE)


def run_benchmark(module: str, *args: str, seconds: float) -> subprocess.CompletedProcess[str]:
    """``python -m module args`` from the repository, for up to ``seconds``; one that runs
    longer is interrupted (SIGINT: a benchmark then stops its bot processes and stands on the
    way out; killed, it would leave bots polling a stand that is gone), then killed."""
    command = [sys.executable, "-m", module, *args]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stdout, stderr = "", ""
    try:
        stdout, stderr = process.communicate(timeout=seconds)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def figures(stdout: str) -> dict[str, str]:
    """The figures a benchmark printed, by name."""
    return dict(FIGURE.findall(stdout))
