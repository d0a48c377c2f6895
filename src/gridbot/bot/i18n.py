"""Translations through gettext and Babel.

The catalogs are the `.po` files under `locales/<locale>/LC_MESSAGES/messages.po`. They are
compiled in memory when first used, so there is no build step and never a stale `.mo`.
Message ids are the English source text; the `en` catalog repeats them so that a missing
entry is caught by the catalog test instead of silently falling back.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from gridbot.bot.config import LOCALES

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"


def N_(msgid: str) -> str:
    """Mark a message for the catalogs where it is defined; translate it where it is shown."""
    return msgid


def catalog_path(locale: str, directory: Path = LOCALES_DIR) -> Path:
    return directory / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(locale: str, directory: Path = LOCALES_DIR) -> Translations:
    """Read a `.po` catalog and compile it into gettext translations, in memory."""
    with catalog_path(locale, directory).open("rb") as po_file:
        catalog = read_po(po_file, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def normalize_locale(code: str | None) -> str | None:
    """A supported locale for a language tag (zh, zh-hans, zh_CN, en-GB ...), or None."""
    if not code:
        return None
    language = code.strip().replace("_", "-").split("-")[0].lower()
    return language if language in LOCALES else None


def choose_locale(
    person_language: str | None, telegram_language_code: str | None, default: str
) -> str:
    """The person's saved language wins; then the Telegram client's; then the default."""
    return normalize_locale(person_language) or normalize_locale(telegram_language_code) or default


class Translator:
    """gettext per locale, over catalogs loaded once and kept for the life of the process."""

    def __init__(
        self,
        default_locale: str = "zh",
        directory: Path = LOCALES_DIR,
        locales: tuple[str, ...] = LOCALES,
    ) -> None:
        if default_locale not in locales:
            raise ValueError(f"unsupported default locale {default_locale!r}")
        self.default_locale = default_locale
        self.locales = locales
        self._directory = directory
        self._translations: dict[str, Translations] = {}

    def translations(self, locale: str) -> Translations:
        if locale not in self.locales:
            locale = self.default_locale
        if locale not in self._translations:
            self._translations[locale] = load_translations(locale, self._directory)
        return self._translations[locale]

    def gettext(self, locale: str, msgid: str) -> str:
        return self.translations(locale).gettext(msgid)

    def ngettext(self, locale: str, singular: str, plural: str, n: int) -> str:
        return self.translations(locale).ngettext(singular, plural, n)

    def choose_locale(self, person_language: str | None, telegram_language_code: str | None) -> str:
        return choose_locale(person_language, telegram_language_code, self.default_locale)
