"""Message bodies: Jinja2 templates under `templates/`, rendered for Telegram's HTML parse mode.

One environment per locale, with that locale's gettext installed (``_``, ``gettext``,
``ngettext`` and ``{% trans %}``), autoescape on (user-provided text can never inject markup)
and ``StrictUndefined`` (a missing variable fails loudly instead of rendering blank).
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from gridbot.bot.i18n import Translator, normalize_locale
from gridbot.services.notices.commands import COMMANDS, commands_of

_BLANK_LINES = re.compile(r"\n{3,}")


class Renderer:
    """Renders templates in a locale; environments are built once per locale."""

    def __init__(self, translator: Translator | None = None) -> None:
        self.translator = translator or Translator()
        self._environments: dict[str, Environment] = {}

    def environment(self, locale: str) -> Environment:
        if locale not in self.translator.locales:
            locale = self.translator.default_locale
        if locale not in self._environments:
            self._environments[locale] = self._build(locale)
        return self._environments[locale]

    def render(self, name: str, locale: str, /, **context: Any) -> str:
        """The rendered message, without surrounding blank space or runs of blank lines."""
        text = self.environment(locale).get_template(name).render(**context)
        return _BLANK_LINES.sub("\n\n", text).strip()

    def gettext(self, locale: str, msgid: str) -> str:
        return self.translator.gettext(locale, msgid)

    def locale_for(self, language: str | None) -> str:
        """The supported locale of a saved language, else the default one."""
        return normalize_locale(language) or self.translator.default_locale

    def _build(self, locale: str) -> Environment:
        environment = Environment(
            loader=PackageLoader("gridbot.bot", "templates"),
            autoescape=select_autoescape(
                enabled_extensions=("html", "j2"), default_for_string=True, default=True
            ),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            # Templates ship with the package and change only with a new release: no
            # check of each file's time on every render and every {% import %} in one
            # (a stat each, a third of rendering's time in the report benchmark).
            auto_reload=False,
        )
        environment.install_gettext_translations(  # type: ignore[attr-defined]
            self.translator.translations(locale), newstyle=True
        )
        environment.globals.update(locale=locale, commands=COMMANDS, commands_of=commands_of)
        return environment


_default: Renderer | None = None


def render(name: str, locale: str, /, **context: Any) -> str:
    """Render with the process-wide default renderer (catalogs of the package)."""
    global _default
    if _default is None:
        _default = Renderer()
    return _default.render(name, locale, **context)
