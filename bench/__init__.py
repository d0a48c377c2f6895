"""Benchmarks of gridbot (``make bench``); docs/benchmarks.md explains them and keeps the
results.

``python -m bench.report_flow``: the resident report flow through the sandbox stand, gridbot
against a bare aiogram echo bot. ``python -m bench.stats``: /stats of a district and of a
street over a synthetic district of a million cases (``python -m bench.district`` writes
one), on SQLite and PostgreSQL. ``python -m bench.delivery``: the outbox sender of
``gridbot run`` at Telegram's limits, with and without faults, and 100,000 due items.
"""
