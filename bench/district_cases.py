"""When the synthetic district's cases happen, where, what about, and by whom.

Cases spread over the three years that end at "now": more of them as the platform spreads
(the daily volume grows from about half to about one and a quarter times the mean), fewer at
weekends, a summer peak, and the hours of the day people report in (local time). Each case
lands on a grid in proportion to its households and a grid's own activity; its kind and
category follow the mix of the district's published figures (most are issues, a quarter hazards,
a few micro-wishes). ``district_lives`` plays each one out.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import accumulate
from typing import Any

from gridbot.domain.org import Category, Role

from .district_model import District, Grid

YEARS = 3
HOURS = (0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.9, 1.5, 1.7, 1.6, 1.3, 1.0, 1.1, 1.5, 1.6,
         1.5, 1.3, 1.0, 0.95, 0.8, 0.6, 0.4, 0.25)  # fmt: skip
KINDS = (("issue", 0.72), ("hazard", 0.23), ("wish", 0.05))
ISSUE_MIX = {"env": 22, "order": 14, "property": 18, "repair": 15, "dispute": 8,
             "security": 5, "fire": 2, "policy": 9, "other": 7}  # fmt: skip
HAZARD_MIX = {"safety": 45, "fire": 18, "order": 15, "env": 10, "repair": 12}
TEXTS = {
    "env": ("{b}号楼门口垃圾堆放多日未清运", "小区绿化带有大量生活垃圾", "{b}号楼下水道堵塞有异味"),
    "order": ("路口占道经营摊位影响通行", "{b}号楼旁有车辆长期乱停放", "小区门口有违规广告牌"),
    "safety": ("{b}号楼楼道堆放杂物堵塞通道", "小区井盖破损存在安全隐患", "{b}号楼外墙瓷砖脱落"),
    "property": ("物业未按时维修{b}号楼电梯", "{b}号楼单元门禁损坏", "物业费用公示不清楚"),
    "repair": ("{b}号楼楼道灯不亮", "小区健身器材损坏", "{b}号楼屋顶漏水"),
    "dispute": ("{b}号楼楼上住户噪音扰民", "邻居在公共区域饲养家禽", "{b}号楼漏水殃及楼下"),
    "security": ("小区有可疑人员多次出入", "{b}号楼附近电动车被盗", "夜间有人聚集喧哗"),
    "fire": ("{b}号楼楼道内电动车充电", "消防通道被车辆占用", "{b}号楼灭火器过期"),
    "policy": ("咨询老年人补贴申领办法", "咨询居住证办理流程", "咨询医保缴费标准"),
    "other": ("建议小区增设休息座椅", "{b}号楼附近路面积水", "反映公交站牌信息错误"),
    "wish": ("希望有人帮忙修理轮椅", "想要一台旧电脑给孩子上网课", "希望有志愿者陪老人就医"),
}
DONGLI = (39.08, 117.25)  # south-west corner of the map pins (latitude, longitude)


@dataclass(frozen=True)
class Draw:
    """What a new case is: where, when, which kind and category, and who reports it."""

    at: datetime
    grid: Grid
    kind: str
    category: Category
    reporter: int
    patrol: bool  # a hazard found by the grid's worker on patrol


def day_counts(cases: int, now: datetime, tz: tzinfo) -> Iterator[tuple[datetime, int]]:
    """(local midnight in UTC, how many cases that day); today's only up to ``now``."""
    today = now.astimezone(tz).date()
    first = today - timedelta(days=YEARS * 365)
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    elapsed = now.astimezone(tz)
    hours_today = sum(HOURS[: elapsed.hour]) + HOURS[elapsed.hour] * elapsed.minute / 60
    weights = []
    for index, day in enumerate(days):
        growth = 0.5 + 0.75 * index / len(days)
        weekend = 0.7 if day.weekday() >= 5 else 1.0
        summer = 1 + 0.15 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 100) / 365)
        share = hours_today / sum(HOURS) if day == today else 1.0
        weights.append(growth * weekend * summer * share)
    scale, carried = cases / sum(weights), 0.0
    for day, weight in zip(days, weights, strict=True):
        carried += weight * scale
        count = int(carried + 0.5) if day == today else int(carried)
        carried -= count
        midnight = datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
        yield midnight, count


class Draws:
    """Draws cases for a day: times, grids, kinds, categories, reporters."""

    def __init__(self, district: District, categories: dict[str, Category], rng: random.Random):
        self.rng = rng
        self.grids = district.grids
        activity = [grid.households * rng.lognormvariate(0, 0.35) for grid in district.grids]
        self.grid_weights = list(accumulate(activity))
        self.hour_weights = list(accumulate(HOURS))
        self.categories = categories
        self.issue_mix = (list(ISSUE_MIX), list(accumulate(ISSUE_MIX.values())))
        self.hazard_mix = (list(HAZARD_MIX), list(accumulate(HAZARD_MIX.values())))

    def day(self, midnight: datetime, count: int, now: datetime) -> list[Draw]:
        rng = self.rng
        grids = rng.choices(self.grids, cum_weights=self.grid_weights, k=count)
        times = sorted(self._moment(midnight, now) for _ in range(count))
        return [self._draw(at, grid) for at, grid in zip(times, grids, strict=True)]

    def _moment(self, midnight: datetime, now: datetime) -> datetime:
        while True:
            hour = self.rng.choices(range(24), cum_weights=self.hour_weights)[0]
            at = midnight + timedelta(hours=hour, seconds=self.rng.randrange(3600))
            if at <= now:
                return at

    def _draw(self, at: datetime, grid: Grid) -> Draw:
        rng = self.rng
        roll = rng.random()
        patrol = False
        if roll < KINDS[0][1]:
            kind, code = "issue", self._pick(self.issue_mix)
        elif roll < KINDS[0][1] + KINDS[1][1]:
            kind, code = "hazard", self._pick(self.hazard_mix)
            patrol = rng.random() < 0.5
        else:
            kind, code = "wish", "wish"
        if patrol:
            reporter = grid.worker
        else:
            reporter = grid.first_resident + rng.randrange(max(1, grid.residents))
        return Draw(at, grid, kind, self.categories[code], reporter, patrol)

    def _pick(self, mix: tuple[list[str], list[int]]) -> str:
        return self.rng.choices(mix[0], cum_weights=mix[1])[0]


def new_case(case_id: int, number: str, draw: Draw, rng: random.Random) -> dict[str, Any]:
    """The case row as it is submitted (status and times follow from its events)."""
    category, grid = draw.category, draw.grid
    text = rng.choice(TEXTS[category.code]).format(b=rng.randint(1, 40))
    pinned = rng.random() < 0.4
    urgent = draw.kind != "wish" and category.respond_hours <= 1 and rng.random() < 0.2
    return {
        "id": case_id,
        "number": number,
        "kind": draw.kind,
        "category_code": category.code,
        "text": text,
        "reporter_id": draw.reporter,
        "grid_code": grid.code,
        "created_at": draw.at,
        "status": "submitted",
        "level": "grid",
        "unit_code": grid.code,
        "priority": "urgent" if urgent else "normal",
        "assignee_id": None,
        "department": category.department if category.route_to == Role.GRID_GUIDE else None,
        "photos": [f"bench-photo-{case_id}"] if rng.random() < 0.35 else [],
        "latitude": DONGLI[0] + rng.random() * 0.12 if pinned else None,
        "longitude": DONGLI[1] + rng.random() * 0.25 if pinned else None,
        "address": f"{rng.randint(1, 40)}号楼" if rng.random() < 0.3 else None,
        "public": draw.kind != "wish" and not draw.patrol and rng.random() < 0.3,
        "anonymous": rng.random() < 0.08,
        "source_chat_id": None,
        "respond_by": None,
        "resolve_by": None,
        "accepted_at": None,
        "resolved_at": None,
        "closed_at": None,
        "updated_at": draw.at,
        "reopen_count": 0,
        "affected_count": rng.choice((0, 0, 0, 1, 2, 5)) if rng.random() < 0.2 else 0,
        "on_the_spot": False,
        "claimant_id": None,
        "wanted_by": draw.at + timedelta(days=rng.randint(7, 30)) if draw.kind == "wish" else None,
        "claim_expires_at": None,
    }
