"""The words a newcomer meets are the same everywhere (issue 13): one name for the bot, one
term for a case, one phrasing of photo counts, Chinese placeholders in the Chinese help, no
fixed example date. The rules are in docs/domain.md ("Words the bot uses")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gridbot.bot.config import LOCALES
from gridbot.services.notices.commands import COMMANDS

from .test_catalogs import TEMPLATES, load_catalog

# The names the bot went by before it had one (网格通, in English gridbot): in the catalogs
# and the templates as of issue 13.
OLD_NAMES = ("网格助手", "网格服务助手", "gridbot（", "grid's assistant", "grid assistant")
# 事项 is the one word for a case in Chinese, for residents and staff alike.
OLD_CASE_WORD = "案件"
# Every photo count reads "%(n)s 张照片", every limit "最多 %(limit)s 张".
PHOTO_COUNT = re.compile(r"%\(\w+\)s ?张")
FIXED_EXAMPLE_DATE = re.compile(r"\b20\d\d-0?5-0?1\b")


def catalog_texts(locale: str) -> list[str]:
    """Every msgstr of the catalog (each form of a plural)."""
    texts: list[str] = []
    for message in load_catalog(locale):
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.extend(s for s in strings if s)
    return texts


def template_sources() -> dict[str, str]:
    return {
        str(path.relative_to(TEMPLATES)): path.read_text(encoding="utf-8")
        for path in sorted(TEMPLATES.rglob("*.j2"))
    }


@pytest.mark.parametrize("locale", LOCALES)
def test_the_catalogs_never_use_an_old_name_of_the_bot(locale: str) -> None:
    old = [t for t in catalog_texts(locale) if any(n.lower() in t.lower() for n in OLD_NAMES)]
    assert old == []


def test_the_templates_never_use_an_old_name_of_the_bot() -> None:
    old = [
        name
        for name, source in template_sources().items()
        if any(n.lower() in source.lower() for n in OLD_NAMES)
    ]
    assert old == []


def test_the_chinese_catalog_calls_a_case_shixiang_never_anjian() -> None:
    assert [t for t in catalog_texts("zh") if OLD_CASE_WORD in t] == []


def test_chinese_photo_counts_have_one_phrasing() -> None:
    odd = []
    for text in catalog_texts("zh"):
        for match in PHOTO_COUNT.finditer(text):
            counted = text[match.end() :].startswith("照片")
            nth = text[: match.start()].endswith("第 ")  # "第 2 张照片" counts one photo, not all
            limit = text[: match.start()].endswith("最多 ")
            if not ((counted and not nth) or limit):
                odd.append(text)
        if re.search(r"张以内|最多只能", text):
            odd.append(text)
    assert odd == []


def test_the_chinese_help_shows_chinese_placeholders_and_the_english_one_keeps_its_own() -> None:
    zh, en = load_catalog("zh"), load_catalog("en")
    placeholders = {command.args for command in COMMANDS if command.args}
    assert placeholders  # /case <no>, /grid <code>, …
    for args in placeholders:
        chinese = zh.get(args)
        assert chinese is not None and chinese.string
        assert not re.search(r"[A-Za-z]", str(chinese.string)), (args, chinese.string)
        english = en.get(args)
        assert english is not None and english.string == args


def test_no_fixed_example_date_is_shown() -> None:
    fixed = [
        name for name, source in template_sources().items() if FIXED_EXAMPLE_DATE.search(source)
    ]
    assert fixed == []
    assert [t for t in catalog_texts("zh") if FIXED_EXAMPLE_DATE.search(t)] == []


def test_the_rules_are_written_down() -> None:
    domain = (Path(__file__).resolve().parents[2] / "docs" / "domain.md").read_text("utf-8")
    assert "网格通" in domain and "事项" in domain and OLD_CASE_WORD in domain
