"""The synthetic district's key residents (重点人群) and their care visits (走访).

About one resident in a hundred, most registered when the platform started; each visited
by their grid's worker (sometimes the leader) every 3-30 days, a little late now and then,
a few not visited lately (overdue now), a few taken off the list.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo
from typing import Any

from gridbot.domain.care import next_visit_due

from .district_cases import YEARS
from .district_model import District
from .district_names import person_name, phone

CATEGORIES = {"elderly_alone": 35, "empty_nest": 25, "disabled": 15, "left_behind_child": 8,
              "seriously_ill": 7, "low_income": 8, "other": 2}  # fmt: skip
INTERVALS = {7: 50, 14: 30, 30: 15, 3: 5}
RESIDENTS_PER_CARE_PERSON = 100


def care_rows(
    district: District, rng: random.Random, now: datetime, tz: tzinfo
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(care person row, their visits) for every key resident, grid by grid."""
    start = now - timedelta(days=YEARS * 365)
    person_id = 0
    for grid in district.grids:
        expected = grid.residents / RESIDENTS_PER_CARE_PERSON
        for _ in range(int(expected) + (rng.random() < expected % 1)):
            person_id += 1
            early = rng.random() < 0.5  # registered in the platform's first two months
            added = start + timedelta(days=rng.uniform(0, 60 if early else YEARS * 365 - 1))
            if added > now:
                added = now - timedelta(hours=1)
            worker = grid.worker if rng.random() < 0.8 else grid.leader
            interval = rng.choices(list(INTERVALS), weights=list(INTERVALS.values()))[0]
            person = {
                "id": person_id,
                "name": person_name(rng),
                "grid_code": grid.code,
                "category": rng.choices(list(CATEGORIES), weights=list(CATEGORIES.values()))[0],
                "worker_id": worker,
                "visit_interval_days": interval,
                "address": _address(rng),
                "phone": phone(rng) if rng.random() < 0.7 else None,
                "last_visit_at": None,
                "added_at": added,
                "next_visit_at": None,
                "removed_at": None,
                "ref": f"{grid.code}-{person_id:06d}",
            }
            yield person, _visits(person, worker, rng, now, tz)


def _visits(
    person: dict[str, Any], worker: int, rng: random.Random, now: datetime, tz: tzinfo
) -> list[dict[str, Any]]:
    interval = person["visit_interval_days"]
    removed = rng.random() < 0.05
    lapsed = rng.random() < 0.04  # not visited lately: overdue now
    end = now - timedelta(days=interval * rng.uniform(1.5, 4)) if lapsed else now
    visits: list[dict[str, Any]] = []
    since = person["added_at"]
    while True:
        due = next_visit_due(since, interval, tz)
        at = due + timedelta(hours=rng.uniform(0, 8), days=rng.choice((0, 0, 0, 0, 1, 2)))
        if at > end:
            break
        if removed and rng.random() < 0.02:
            person["removed_at"] = at
            break
        help_needed = rng.random() < 0.04
        visits.append(
            {
                "care_person_id": person["id"],
                "visitor_id": worker,
                "at": at,
                "note": "需要协助办理相关事项" if help_needed else "身体状况良好",
                "outcome": "needs_help" if help_needed else "normal",
                "photo": None,
                "case_id": None,
            }
        )
        since = at
    person["last_visit_at"] = visits[-1]["at"] if visits else None
    if person["removed_at"] is None:
        person["next_visit_at"] = next_visit_due(since, interval, tz)
    return visits


def _address(rng: random.Random) -> str:
    return f"{rng.randint(1, 40)}号楼{rng.randint(1, 6)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}"
