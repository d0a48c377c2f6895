"""Every message the code and the templates use is in both catalogs, translated."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from jinja2 import Environment

from gridbot.bot.config import LOCALES
from gridbot.bot.i18n import catalog_path

SRC = Path(__file__).resolve().parents[2] / "src" / "gridbot"
TEMPLATES = SRC / "bot" / "templates"
GETTEXT_FUNCTIONS = ("_", "N_", "gettext", "ngettext", "t")

Msgid = str | tuple[str, str]  # a plural message: (singular, plural)


def template_msgids() -> dict[Msgid, str]:
    environment = Environment(extensions=["jinja2.ext.i18n"])
    found: dict[Msgid, str] = {}
    for path in sorted(TEMPLATES.rglob("*.j2")):
        source = path.read_text(encoding="utf-8")
        for lineno, _, message in environment.extract_translations(  # type: ignore[attr-defined]
            source, GETTEXT_FUNCTIONS
        ):
            strings = [m for m in (message if isinstance(message, tuple) else (message,)) if m]
            if strings:
                msgid = strings[0] if len(strings) == 1 else (strings[0], strings[1])
                found.setdefault(msgid, f"{path.name}:{lineno}")
    return found


def python_msgids() -> dict[Msgid, str]:
    found: dict[Msgid, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in GETTEXT_FUNCTIONS:
                continue
            strings = [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if strings:
                msgid: Msgid = strings[0]
                if node.func.id == "ngettext":
                    msgid = (strings[0], strings[1])
                found.setdefault(msgid, f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def load_catalog(locale: str) -> Catalog:
    with catalog_path(locale).open("rb") as po_file:
        return read_po(po_file, locale=locale)


def test_the_extractors_find_messages_in_templates_and_code() -> None:
    assert "Send /help to see all your commands." in template_msgids()
    assert "Report a problem or a hazard" in python_msgids()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_used_message_is_translated(locale: str) -> None:
    catalog = load_catalog(locale)
    missing = []
    for msgid, where in {**python_msgids(), **template_msgids()}.items():
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalog.get(key)
        strings = message.string if message is not None else None
        forms = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(forms):
            missing.append(f"{where}: {msgid!r}")
    assert missing == [], f"untranslated in {locale}:\n" + "\n".join(missing)


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale: str) -> None:
    problems = [
        f"{message.id!r}: {errors}" for message, errors in load_catalog(locale).check() if errors
    ]
    assert problems == []
