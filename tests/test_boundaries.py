"""The layering rules of STYLE.md, checked on the source: who may import what."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "gridbot"


def imported_modules(package: str) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    for path in sorted((SRC / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((path, node.module))
    return found


def top(module: str) -> str:
    return module.split(".")[0]


def test_domain_imports_only_the_standard_library_and_itself() -> None:
    offenders = [
        f"{path.name}: {module}"
        for path, module in imported_modules("domain")
        if not module.startswith("gridbot.domain")
        and top(module) not in sys.stdlib_module_names
        and top(module) != "__future__"
    ]
    assert offenders == []


@pytest.mark.parametrize("package", ["handlers", "domain"])
def test_package_never_imports_sqlalchemy_or_storage(package: str) -> None:
    offenders = [
        f"{path.name}: {module}"
        for path, module in imported_modules(package)
        if top(module) in {"sqlalchemy", "alembic", "asyncpg", "aiosqlite"}
        or module.startswith("gridbot.storage")
    ]
    assert offenders == []


def test_the_checker_sees_imports(tmp_path: Path) -> None:
    # Guard against a checker that silently finds nothing.
    assert any(module == "gridbot.domain.org" for _, module in imported_modules("domain"))
