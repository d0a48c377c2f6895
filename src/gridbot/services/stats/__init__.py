"""Supervisors' statistics (三率 and more, docs/metrics.md): ``compute_stats`` inside a
unit of work the caller holds (rankings, exports, charts and digests build on it), and
the /stats use case ``unit_stats``; /rank (``rank_units``) and a grid's card (``grid_card``)."""

from gridbot.services.stats.figures import (
    CategoryFigures,
    ChildFigures,
    UnitStats,
    children_of,
    compute_stats,
    scope_of,
)
from gridbot.services.stats.grid_card import GridCard, GridCardOf, GridUsage, grid_card
from gridbot.services.stats.ranking import Ranking, RankOf, RankView, rank_units
from gridbot.services.stats.units import StatsOf, supervised_units, unit_stats

__all__ = [
    "CategoryFigures",
    "ChildFigures",
    "GridCard",
    "GridCardOf",
    "GridUsage",
    "RankOf",
    "RankView",
    "Ranking",
    "StatsOf",
    "UnitStats",
    "children_of",
    "compute_stats",
    "grid_card",
    "rank_units",
    "scope_of",
    "supervised_units",
    "unit_stats",
]
