"""Benchmarks that play people through the sandbox stand against real bot processes.

``python -m bench.report_flow`` (``make bench``): the resident report flow, gridbot
against a bare aiogram echo bot; docs/benchmarks.md explains it and keeps the results.
"""
