"""What a phase measured, and the ``BENCH name value`` lines."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Measured:
    """The measured phase of one bot (the warm-up is not in it)."""

    latencies: list[float]  # seconds, one per step
    seconds: float  # wall time: all residents at once, from the first step to the last reply
    notice_latencies: list[float]  # gridbot: submit tap -> the numbered confirmation
    bot_cpu_seconds: float | None  # the bot process's CPU time in the phase (Linux)
    calls: int = 0  # Bot API calls the bot made in the phase, getUpdates not counted

    @property
    def updates_per_s(self) -> float:
        return len(self.latencies) / self.seconds

    @property
    def cpu_ms_per_update(self) -> str:
        if self.bot_cpu_seconds is None:
            return "nan"
        return ms(self.bot_cpu_seconds / len(self.latencies))

    @property
    def calls_per_update(self) -> str:
        return f"{self.calls / len(self.latencies):.2f}"


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest rank: the smallest value with at least ``p`` % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def pooled(measured: Sequence[Measured]) -> Measured:
    """Several rounds' measurements as one (their latencies together, their times added)."""
    cpu = [m.bot_cpu_seconds for m in measured]
    return Measured(
        latencies=[x for m in measured for x in m.latencies],
        seconds=sum(m.seconds for m in measured),
        notice_latencies=[x for m in measured for x in m.notice_latencies],
        bot_cpu_seconds=None if None in cpu else sum(c or 0.0 for c in cpu),
        calls=sum(m.calls for m in measured),
    )


def figures(
    pairs: Sequence[tuple[Measured, Measured]], residents: int, flows: int, cases: int
) -> list[tuple[str, str]]:
    """``pairs``: (gridbot, echo) of each round. The ratio is the median of the rounds'."""
    ratios = [report.updates_per_s / echo.updates_per_s for report, echo in pairs]
    report = pooled([r for r, _ in pairs])
    echo = pooled([e for _, e in pairs])
    notices = report.notice_latencies
    return [
        ("report_flow_vs_echo", f"{statistics.median(ratios):.3f}"),
        ("report_step_p95_ms", ms(percentile(report.latencies, 95))),
        ("report_step_p50_ms", ms(percentile(report.latencies, 50))),
        ("report_updates_per_s", f"{report.updates_per_s:.1f}"),
        ("report_confirm_p50_ms", ms(percentile(notices, 50)) if notices else "nan"),
        ("report_cpu_ms_per_update", report.cpu_ms_per_update),
        ("report_calls_per_update", report.calls_per_update),
        ("echo_updates_per_s", f"{echo.updates_per_s:.1f}"),
        ("echo_step_p50_ms", ms(percentile(echo.latencies, 50))),
        ("echo_step_p95_ms", ms(percentile(echo.latencies, 95))),
        ("echo_cpu_ms_per_update", echo.cpu_ms_per_update),
        ("echo_calls_per_update", echo.calls_per_update),
        ("residents", str(residents)),
        ("flows", str(flows)),
        ("rounds", str(len(pairs))),
        ("report_flows_ok", str(cases)),
    ] + [(f"round{n}_vs_echo", f"{ratio:.3f}") for n, ratio in enumerate(ratios, 1)]


def by_step(measured: Sequence[Measured], steps: int) -> list[tuple[str, str]]:
    """p50 and p95 of each step of the flow (step 1 is /report, the last one Submit), over
    every round."""
    found = []
    for index in range(steps):
        latencies = [x for m in measured for x in m.latencies[index::steps]]
        found.append((f"report_step{index + 1}_p50_ms", ms(percentile(latencies, 50))))
        found.append((f"report_step{index + 1}_p95_ms", ms(percentile(latencies, 95))))
    return found


def ceiling_figures(
    echoes: Sequence[Measured], ceilings: Sequence[Mapping[str, Measured]]
) -> list[tuple[str, str]]:
    """The reference bots of each round (``bench/calls_bot.py``, by name) against that
    round's echo bot, as gridbot is: the ratio is the median of the rounds'."""
    found = []
    for name in ceilings[0] if ceilings else ():
        rounds = zip(ceilings, echoes, strict=True)
        ratios = [c[name].updates_per_s / echo.updates_per_s for c, echo in rounds]
        measured = pooled([c[name] for c in ceilings])
        found += [
            (f"{name}_vs_echo", f"{statistics.median(ratios):.3f}"),
            (f"{name}_cpu_ms_per_update", measured.cpu_ms_per_update),
            (f"{name}_calls_per_update", measured.calls_per_update),
        ]
    return found


def print_figures(
    pairs: Sequence[tuple[Measured, Measured]],
    residents: int,
    flows: int,
    cases: int,
    steps: int | None = None,
    ceilings: Sequence[Mapping[str, Measured]] = (),
) -> None:
    """The figures; with ``steps`` (the steps of a flow) each step's percentiles too; with
    ``ceilings`` (one mapping per round) the reference bots' figures."""
    found = figures(pairs, residents, flows, cases)
    found += ceiling_figures([echo for _, echo in pairs], ceilings)
    if steps:
        found += by_step([report for report, _ in pairs], steps)
    for name, value in found:
        print(f"BENCH {name} {value}", flush=True)
