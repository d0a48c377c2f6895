from __future__ import annotations

import pytest

from gridbot.bot.i18n import Translator, choose_locale


@pytest.mark.parametrize(
    ("person_language", "telegram_language", "default", "expected"),
    [
        ("en", "zh-hans", "zh", "en"),  # the saved language wins
        ("zh", "en", "en", "zh"),
        (None, "zh", "en", "zh"),
        (None, "zh-hans", "en", "zh"),
        (None, "zh-CN", "en", "zh"),
        (None, "zh_TW", "en", "zh"),
        (None, "zh-hant", "en", "zh"),
        (None, "en", "zh", "en"),
        (None, "en-GB", "zh", "en"),
        (None, "EN-us", "zh", "en"),
        (None, "ru", "zh", "zh"),  # anything else: the default
        (None, "ru", "en", "en"),
        (None, None, "zh", "zh"),
        (None, "", "en", "en"),
        ("fr", "en", "zh", "en"),  # an unsupported saved language falls through
        ("", None, "en", "en"),
    ],
)
def test_choose_locale(
    person_language: str | None, telegram_language: str | None, default: str, expected: str
) -> None:
    assert choose_locale(person_language, telegram_language, default) == expected


def test_translator_compiles_the_catalogs_in_memory() -> None:
    translator = Translator()
    assert translator.gettext("zh", "Grid worker") == "专职网格员"
    assert translator.gettext("en", "Grid worker") == "Grid worker"
    assert translator.gettext("fr", "Grid worker") == "专职网格员"  # unknown: the default
    assert translator.ngettext("en", "Grid worker", "Grid workers", 2) == "Grid workers"


def test_translator_choose_locale_uses_its_default() -> None:
    assert Translator(default_locale="en").choose_locale(None, "de") == "en"
    with pytest.raises(ValueError):
        Translator(default_locale="fr")
