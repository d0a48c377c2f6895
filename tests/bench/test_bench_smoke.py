"""The report-flow benchmark, small (2 residents, 2 flows each, so two slices per bot, 1
round, the reference bots too), through its entry point: it runs to the end and prints every
figure as a number. The values are not checked: a benchmark measures, a test of it must not
depend on how fast the machine is."""

from __future__ import annotations

import pytest

from .running import figures, run_benchmark

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
    "report_confirm_p50_ms",
    "report_calls_per_update",
    "echo_calls_per_update",
    "calls_only_vs_echo",
    "calls_only_cpu_ms_per_update",
    "calls_only_calls_per_update",
    "calls_durable_vs_echo",
    "calls_durable_cpu_ms_per_update",
    "calls_durable_calls_per_update",
)
RUN_SECONDS = 480  # four bot start-ups and 112 measured steps; generous for a loaded 2-core machine


@pytest.mark.timeout(RUN_SECONDS + 120)
def test_the_small_benchmark_runs_through_and_prints_every_figure() -> None:
    result = run_benchmark(
        "bench.report_flow",
        "--residents",
        "2",
        "--flows",
        "2",
        "--rounds",
        "1",
        "--ceilings",
        seconds=RUN_SECONDS,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    printed = figures(result.stdout)
    missing = [name for name in FIGURES if name not in printed]
    assert not missing, f"no number for {missing} in:\n{result.stdout}\n{result.stderr}"
    assert printed["report_flows_ok"] == "6"  # 2 residents x (1 warm-up + 2 measured flows)
