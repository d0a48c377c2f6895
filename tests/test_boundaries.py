"""The layering of docs/architecture.md, checked on the source: who may import what, what
the pure domain may contain, and that no modules import each other in a circle."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "gridbot"
# Every module and package directly under handlers/ is a feature, but the shared steps
# (common/) and the package's __init__, which composes the routers.
FEATURES = tuple(
    sorted(
        path.stem
        for path in (PACKAGE / "handlers").iterdir()
        if (path.suffix == ".py" or (path / "__init__.py").is_file())
        and path.stem not in ("__init__", "common")
    )
)


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
    }


def imports_of(path: Path) -> Iterator[str]:
    """Every module an import statement of ``path`` names (lazy ones inside functions too);
    ``from pkg import name`` names ``pkg.name`` when that is a module."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found = [f"{node.module}.{alias.name}" for alias in node.names]
            submodules = [name for name in found if name in modules()]
            yield from submodules or [node.module]


def imports_in(package: str) -> list[tuple[str, str]]:
    """(module, imported) for every module of ``package`` (a dotted name under gridbot)."""
    prefix = f"gridbot.{package}"
    return [
        (name, imported)
        for name, path in modules().items()
        if name == prefix or name.startswith(prefix + ".")
        for imported in imports_of(path)
    ]


def top(module: str) -> str:
    return module.split(".")[0]


def is_stdlib(module: str) -> bool:
    return top(module) in sys.stdlib_module_names or top(module) == "__future__"


def offenders(package: str, allowed: tuple[str, ...]) -> list[str]:
    """Imports of ``package`` that are neither the standard library nor under ``allowed``."""
    return [
        f"{name}: {imported}"
        for name, imported in imports_in(package)
        if not is_stdlib(imported)
        and not any(imported == a or imported.startswith(a + ".") for a in allowed)
    ]


def test_the_checker_sees_imports() -> None:
    # Guard against a checker that silently finds nothing.
    assert ("gridbot.domain.policy", "gridbot.domain.org") in imports_in("domain")
    assert len(modules()) > 100


# --- the pure domain ---------------------------------------------------------------------


def test_the_domain_imports_only_the_standard_library_and_itself() -> None:
    assert offenders("domain", ("gridbot.domain",)) == []


def domain_sources() -> list[tuple[str, str]]:
    return [
        (name, path.read_text(encoding="utf-8"))
        for name, path in modules().items()
        if name.startswith("gridbot.domain")
    ]


def test_the_domain_has_no_async_code_and_no_unit_of_work() -> None:
    found = [
        f"{name}: {type(node).__name__} line {node.lineno}"
        for name, source in domain_sources()
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.AsyncFunctionDef | ast.Await | ast.AsyncWith | ast.AsyncFor)
    ]
    assert found == []
    assert [n for n, s in domain_sources() if re.search(r"UnitOfWork|Repository|uow", s)] == []


# Telegram words: templates, keyboards, callback formats, Bot API methods and parameters.
PRESENTATION = re.compile(
    r"\.j2\b|Keyboard|Button|callback|parse_mode|reply_markup|inline_keyboard|"
    r"\b(send|edit|answer|set|delete|get)[A-Z][A-Za-z]+\b|\bc:\{"
)


def test_the_domain_holds_no_templates_keyboards_callbacks_or_bot_api_words() -> None:
    found = [
        f"{name}:{number}: {line.strip()}"
        for name, source in domain_sources()
        for number, line in enumerate(source.splitlines(), 1)
        if PRESENTATION.search(line)
    ]
    assert found == []


def test_the_presentation_check_would_catch_the_old_domain() -> None:
    old = 'template = "notices/case_update.html.j2"\nreturn f"c:{action}:{case_id}"'
    assert len(PRESENTATION.findall(old)) == 2
    assert PRESENTATION.search("await bot.sendMessage(chat_id=1)")


# --- who may import what -------------------------------------------------------------------


def test_services_import_the_domain_and_themselves_only() -> None:
    assert offenders("services", ("gridbot.domain", "gridbot.services")) == [
        offence for offence in offenders("services", ()) if is_file_format(offence)
    ]


# The file formats /export and /chart write (in memory, no I/O): services/exports only.
FILE_FORMATS = ("openpyxl", "matplotlib")


def is_file_format(offence: str) -> bool:
    module, imported = offence.split(": ")
    return module.startswith("gridbot.services.exports.") and top(imported) in FILE_FORMATS


def test_storage_imports_the_domain_and_its_database_libraries_only() -> None:
    allowed = ("gridbot.domain", "gridbot.storage", "sqlalchemy", "alembic", "aiosqlite")
    assert offenders("storage", allowed) == []


def test_handlers_import_services_domain_and_aiogram_never_bot_or_storage() -> None:
    allowed = ("gridbot.domain", "gridbot.services", "gridbot.handlers", "aiogram")
    assert [o for o in offenders("handlers", allowed) if o != CALLBACK_FIELD_BOUNDS] == []


def test_the_sandbox_stand_imports_only_its_web_and_image_libraries() -> None:
    # The stand speaks the Bot API; nothing of the bot may leak into what it accepts.
    assert offenders("sandbox", ("gridbot.sandbox", "aiohttp", "PIL")) == []


# aiogram's CallbackData is a pydantic model: the callback formats bound their numbers
# with pydantic's Field, there and nowhere else in handlers/.
CALLBACK_FIELD_BOUNDS = "gridbot.handlers.common.callbacks: pydantic"


@pytest.mark.parametrize("feature", FEATURES)
def test_a_feature_of_the_handlers_imports_no_other_feature(feature: str) -> None:
    own = f"gridbot.handlers.{feature}"
    others = [
        f"{name}: {imported}"
        for name, imported in imports_in(f"handlers.{feature}")
        if imported.startswith("gridbot.handlers.")
        and not imported.startswith((own, "gridbot.handlers.common"))
    ]
    assert others == []


def test_nothing_but_the_bot_imports_the_bot() -> None:
    found = [
        f"{name}: {imported}"
        for name, path in modules().items()
        if not name.startswith("gridbot.bot")
        for imported in imports_of(path)
        if imported.startswith("gridbot.bot")
    ]
    assert found == []


def test_handlers_never_open_or_commit_a_unit_of_work() -> None:
    found = [
        f"{name}:{number}: {line.strip()}"
        for name, path in modules().items()
        if name.startswith("gridbot.handlers")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.commit\(|\.writing\(|\.reading\(|uow", line)
    ]
    assert found == []


# --- no circles ----------------------------------------------------------------------------


def import_graph() -> dict[str, set[str]]:
    return {
        name: {imported for imported in imports_of(path) if imported in modules()}
        for name, path in modules().items()
    }


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_modules_of_gridbot_import_each_other_in_a_circle() -> None:
    assert circles(import_graph()) == []


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]
