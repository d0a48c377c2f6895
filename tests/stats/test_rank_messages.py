"""What /rank and /grid say, in Chinese and in English, over the league of league.py: the
formula, the places and scores, the group with too few cases, a worker's load, the trend
of each rate; no resident's name or phone; within Telegram's 4,096 characters."""

from __future__ import annotations

import pytest

from demo_town import DemoTown
from gridbot.bot.templating import render
from gridbot.services.stats import GridCard, GridCardOf, RankOf, grid_card, rank_units
from gridbot.storage.database import Database

from .league import build_league

SUPERVISOR = 1022
LIMIT = 4096


@pytest.fixture
async def league(database: Database) -> DemoTown:
    town = await DemoTown.demo(database)
    await build_league(database)
    return town


async def ranking_text(town: DemoTown, locale: str, *args: str, **kw: str) -> str:
    ranking = await rank_units(RankOf(await town.actor(SUPERVISOR), *args, **kw), town.ctx)
    text = render("stats/ranking.html.j2", locale, ranking=ranking, tz=town.ctx.tz)
    assert len(text) <= LIMIT
    return text


async def card_text(town: DemoTown, locale: str) -> str:
    actor = await town.actor(SUPERVISOR)
    card = await grid_card(GridCardOf(actor, "DL-WX-LY-01", "2026-02"), town.ctx)
    assert isinstance(card, GridCard) and actor is not None
    categories = {c.code: c for c in actor.org.categories}
    text = render(
        "stats/grid_card.html.j2", locale, card=card, categories=categories, tz=town.ctx.tz
    )
    assert len(text) <= LIMIT
    return text


async def test_the_ranking_shows_the_formula_the_places_and_the_too_few(league: DemoTown) -> None:
    zh = await ranking_text(league, "zh", "2026-02")
    assert "🏆 <b>万新街道</b> · 2026-02" in zh
    assert (
        "综合得分（满分 100）= 30% × 响应率 + 30% × 解决率 + 30% × 满意率 + 10% × 按期办结率" in zh
    )
    assert "1. <b>临月里第一网格</b> DL-WX-LY-01 — <b>95.0 分</b>\n" in zh
    assert "响应率 100.0% · 解决率 100.0% · 满意率 83.3% · 按期办结率 100.0% · 受理 6" in zh
    assert "2. <b>临月里第二网格</b> DL-WX-LY-02 — <b>90.0 分</b>" in zh
    assert "3. <b>詹滨里第一网格</b> DL-WX-ZB-01 — <b>90.0 分</b>" in zh
    assert (
        "<b>事项太少，不参与排名（少于 5 件）</b>\n· 东丽开发区产业园区网格 DL-WX-ZB-02 — 受理 4"
        in zh
    )
    assert "得分相同时，受理事项多者在前，再按网格编码排序" in zh
    assert "/rank DL-WX-LY" in zh

    en = await ranking_text(league, "en", "2026-02")
    assert (
        "Score (out of 100) = 30% × Response rate + 30% × Resolution rate"
        " + 30% × Satisfaction rate + 10% × On-time rate"
    ) in en
    assert "1. <b>Linyueli Grid 1</b> DL-WX-LY-01 — <b>95.0 points</b>" in en
    assert "Too few cases to rank (fewer than 5)" in en


async def test_the_workers_ranking_shows_their_load_and_time_to_accept(league: DemoTown) -> None:
    zh = await ranking_text(league, "zh", "2026-02", "DL-WX-LY", view="workers")
    assert "<b>网格员排名</b>" in zh
    assert "1. <b>张伟</b> — <b>95.0 分</b>" in zh and "经办 6" in zh
    assert "当前在办 1 · ⚠️ 超期 1 · 接单用时中位数 35分钟" in zh
    assert "· 刘洋 — 经办 1 · 当前在办 1 · 接单用时中位数 30分钟" in zh
    assert "办结时由其承办" in zh


async def test_the_card_shows_each_rate_against_the_previous_period(league: DemoTown) -> None:
    zh = await card_text(league, "zh")
    assert "🗺 <b>临月里第一网格</b> DL-WX-LY-01 · 临月里社区" in zh
    assert "2026-02，对比上期 2026-01" in zh
    assert "· 王芳 · 网格长、支部书记 · 📞 13800001002" in zh
    assert "当前在办 1 · ⚠️ 超期 1" in zh
    assert "<b>综合得分 95.0</b> ↑ 25.0 分（上期 70.0）" in zh
    assert "响应率 100.0% ↑ 50.0 个百分点（上期 50.0%）" in zh
    assert "满意率 83.3% ↓ 16.7 个百分点（上期 100.0%）" in zh
    assert "按期办结率 100.0% → 持平（上期 100.0%）" in zh
    assert "环境卫生：受理 4" in zh and "安全隐患：受理 2" in zh
    assert "李桂兰" not in zh and "13900002001" not in zh  # the grid's resident

    en = await card_text(league, "en")
    assert "Satisfaction rate 83.3% ↓ 16.7 pts (previous period 100.0%)" in en
    assert "<b>Score 95.0</b> ↑ 25.0 points (previous period 70.0)" in en
    assert "Sanitation: received 4" in en
