"""The delivery benchmark, small (200 messages to 50 chats, 2 of them groups, 5% 429s and
3% 500s in the faulty phase, 1,000 due items), through its entry point: nothing lost,
nothing delivered twice, no limit breached (all read from the stand's log of the calls),
every due item handled; with PostgreSQL and Redis (CI), the same through two processes.
Breaches are a correctness property; the rates are printed but not checked: a test of a
benchmark must not depend on how fast the machine is."""

from __future__ import annotations

import os

import pytest

from .running import figures, run_benchmark

RUN_SECONDS = 540  # six bot start-ups and 4 x 200 messages at 30/s; a loaded machine


@pytest.mark.timeout(RUN_SECONDS + 120)
def test_small_delivery_loses_nothing_and_breaches_no_limit() -> None:
    result = run_benchmark(
        "bench.delivery",
        *("--messages", "200", "--chats", "50", "--groups", "2", "--due", "1000"),
        *("--rate-429", "0.05", "--rate-500", "0.03", "--seed", "7"),
        seconds=RUN_SECONDS,
    )
    print(result.stdout, result.stderr)

    assert result.returncode == 0, result.stdout + result.stderr
    printed = {name: float(value) for name, value in figures(result.stdout).items()}
    assert printed["delivery_lost"] == 0
    assert printed["delivery_twice"] == 0
    assert printed["limit_breaches"] == 0
    assert printed["limit_breaches_faulty"] == 0
    assert printed["delivery_refused_429"] > 0  # the faults did fire
    assert printed["delivery_refused_500"] > 0
    assert printed["delivery_msgs_per_s"] > 0
    assert printed["delivery_faulty_msgs_per_s"] > 0
    assert "due_claim_1000_s" in printed  # printed only once every item was handled
    two_processes = all(
        os.environ.get(name) for name in ("GRIDBOT_TEST_PG_URL", "GRIDBOT_TEST_REDIS_URL")
    )
    if two_processes or os.environ.get("GRIDBOT_REQUIRE_PG") == "1":
        for phase in ("2p", "2p_faulty"):
            assert printed[f"delivery_{phase}_lost"] == 0
            assert printed[f"delivery_{phase}_twice"] == 0
            assert printed[f"limit_breaches_{phase}"] == 0
            assert printed[f"delivery_{phase}_msgs_per_s"] > 0
