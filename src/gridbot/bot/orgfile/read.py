"""Reading the org file (YAML) into line-numbered entries, then checking them.

Everything is checked before anything is written, and every problem is reported at once,
each naming its place in the file: ``demo-org.yaml:14: unit DL-WX-LY-09: unknown parent DL-XX``.
The cross-entry rules live in ``check``.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from gridbot.bot.orgfile.check import check_org_file
from gridbot.bot.orgfile.entries import (
    CareEntry,
    CategoryEntry,
    OrgFile,
    OrgFileError,
    PersonEntry,
    RoleEntry,
    UnitEntry,
)

SECTIONS = ("units", "categories", "people", "care")
UNIT_KEYS = {
    "code": True,
    "name": True,
    "name_en": False,
    "level": True,
    "parent": False,
    "kind": False,
}
CATEGORY_KEYS = {
    "code": True,
    "name": True,
    "name_en": False,
    "route_to": False,
    "department": False,
    "respond_hours": False,
    "resolve_hours": False,
    "follow_up_days": False,
    "requires_evidence": False,
    "active": False,
}
PERSON_KEYS = {
    "name": True,
    "phone": False,
    "telegram_id": False,
    "language": False,
    "department": False,
    "roles": False,
}
ROLE_KEYS = {"role": True, "unit": True, "on_duty": False}
CARE_KEYS = {
    "name": True,
    "grid": True,
    "category": True,
    "worker": True,
    "interval_days": True,
    "address": False,
    "phone": False,
    "ref": False,
    "last_visit": False,
}


class _Mapping(dict[Any, Any]):
    """A YAML mapping that remembers where it and each of its keys start."""

    line = 0
    key_lines: dict[Any, int]
    repeated: list[tuple[int, Any]]


_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG


class _LineLoader(yaml.CSafeLoader):
    """libyaml's safe loader: a district's file (50,000 lines) parsed in Python took 14 s.
    A plain scalar whose first character starts no implicit type (a name, a code) is text
    at once, without the resolver's loop: a million of them in a file of residents."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        plain = kind is yaml.ScalarNode and implicit[0] and value
        if plain and value[0] not in self.yaml_implicit_resolvers:
            return _STR
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


class _PyLineLoader(yaml.SafeLoader):
    """PyYAML's own: a file libyaml refuses is read again with it, so that the problem is
    named as it always was."""


def _construct(loader: Any, node: yaml.Node) -> Any:
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value  # what construct_yaml_str gives, without the generic dispatch
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line, mapping.key_lines, mapping.repeated = node.start_mark.line + 1, {}, []
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        key_line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            ) from None
        if key in mapping:
            mapping.repeated.append((key_line, key))
        mapping[key] = _construct(loader, value_node)
        mapping.key_lines[key] = key_line
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_PyLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _load(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # a CSafeLoader subclass
    except yaml.YAMLError:
        return yaml.load(text, Loader=_PyLineLoader)  # raises, naming the problem


def read_org_file(path: str | Path) -> OrgFile:
    """Read and validate an org file; raises OrgFileError with every problem found."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise OrgFileError([f"{path.name}: cannot read the file: {error}"]) from None
    return parse_org_text(text, path.name)


def parse_org_text(text: str, source: str = "<org file>") -> OrgFile:
    """Parse and validate the text of an org file; raises OrgFileError."""
    try:
        document = _load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        raise OrgFileError([f"{where}: malformed YAML: {error.problem or error}"]) from None
    except yaml.YAMLError as error:
        raise OrgFileError([f"{source}: malformed YAML: {error}"]) from None
    problems: list[str] = []
    org = _Reader(source, problems).read(document)
    problems += check_org_file(org)
    if problems:
        raise OrgFileError(problems)
    return org


class _Reader:
    """Turns the loaded document into entries, noting shape problems (keys and types)."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(
            f"{self.source}:{line}: {message}" if line else f"{self.source}: {message}"
        )

    def read(self, document: object) -> OrgFile:
        org = OrgFile(self.source)
        if document is None:
            self.problem(None, "the file is empty; expected units, categories and people")
            return org
        if not isinstance(document, _Mapping):
            self.problem(1, "the file must be a mapping with units, categories and people")
            return org
        self.keys(document, dict.fromkeys(SECTIONS, False), "the file")
        org.units = [u for m in self.section(document, "units") if (u := self.unit(m))]
        org.categories = [
            c for m in self.section(document, "categories") if (c := self.category(m))
        ]
        org.people = [p for m in self.section(document, "people") if (p := self.person(m))]
        org.care = [e for m in self.section(document, "care") if (e := self.care(m))]
        return org

    def section(self, document: _Mapping, name: str) -> list[_Mapping]:
        items = document.get(name)
        if items is None:
            return []
        if not isinstance(items, list):
            self.problem(document.key_lines[name], f"{name} must be a list")
            return []
        entries = [item for item in items if isinstance(item, _Mapping)]
        if len(entries) != len(items):
            self.problem(document.key_lines[name], f"every entry of {name} must be a mapping")
        return entries

    def keys(self, mapping: _Mapping, allowed: dict[str, bool], label: str) -> bool:
        for line, key in mapping.repeated:
            self.problem(line, f"{label}: {key} given twice")
        for key in mapping:
            if key not in allowed:
                known = ", ".join(allowed)
                self.problem(
                    mapping.key_lines[key], f"{label}: unknown key {key!r} (known: {known})"
                )
        missing = [key for key, required in allowed.items() if required and key not in mapping]
        for key in missing:
            self.problem(mapping.line, f"{label}: missing {key}")
        return not missing

    def text(self, mapping: _Mapping, key: str, label: str) -> str | None:
        value = mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(mapping.key_lines[key], f"{label}: {key} must be text, not {value!r}")
            return None
        if not value.strip():
            self.problem(mapping.key_lines[key], f"{label}: {key} is empty")
            return None
        return value.strip()

    def unit(self, m: _Mapping) -> UnitEntry | None:
        label = f"unit {m.get('code', '')}".rstrip()
        if not self.keys(m, UNIT_KEYS, label):
            return None
        code, name, level = (self.text(m, k, label) for k in ("code", "name", "level"))
        if not (code and name and level):
            return None
        parent, kind = self.text(m, "parent", label), self.text(m, "kind", label)
        name_en = self.text(m, "name_en", label)
        return UnitEntry(m.line, code, name, level, parent, kind, dict(m.key_lines), name_en)

    def category(self, m: _Mapping) -> CategoryEntry | None:
        label = f"category {m.get('code', '')}".rstrip()
        if not self.keys(m, CATEGORY_KEYS, label):
            return None
        code, name = self.text(m, "code", label), self.text(m, "name", label)
        if not (code and name):
            return None
        optional = {k: v for k, v in m.items() if k in CATEGORY_KEYS and k not in ("code", "name")}
        return CategoryEntry(m.line, code, name, optional, dict(m.key_lines))

    def person(self, m: _Mapping) -> PersonEntry | None:
        label = f"person {m.get('name', '')}".rstrip()
        if not self.keys(m, PERSON_KEYS, label):
            return None
        name = self.text(m, "name", label)
        if not name:
            return None
        entry = PersonEntry(m.line, name, m.get("phone"), m.get("telegram_id"))
        entry.lines = dict(m.key_lines)
        entry.language = self.text(m, "language", label)
        entry.department = self.text(m, "department", label)
        roles = m.get("roles") or []
        if not isinstance(roles, list) or not all(isinstance(r, _Mapping) for r in roles):
            self.problem(
                m.key_lines.get("roles", m.line), f"{label}: roles must be a list of mappings"
            )
            return entry
        entry.roles = [r for rm in roles if (r := self.role(rm, label))]
        return entry

    def role(self, m: _Mapping, label: str) -> RoleEntry | None:
        if not self.keys(m, ROLE_KEYS, label):
            return None
        role, unit = self.text(m, "role", label), self.text(m, "unit", label)
        on_duty = m.get("on_duty", True)
        if not isinstance(on_duty, bool):
            self.problem(m.key_lines["on_duty"], f"{label}: on_duty must be true or false")
        if not (role and unit):
            return None
        return RoleEntry(m.line, role, unit, on_duty is not False)

    def care(self, m: _Mapping) -> CareEntry | None:
        label = f"care {m.get('name', '')}".rstrip()
        if not self.keys(m, CARE_KEYS, label):
            return None
        name, grid, category = (self.text(m, k, label) for k in ("name", "grid", "category"))
        if not (name and grid and category):
            return None
        entry = CareEntry(m.line, name, grid, category, m.get("worker"), m.get("interval_days"))
        entry.lines = dict(m.key_lines)
        entry.address = self.text(m, "address", label)
        entry.phone = m.get("phone")
        ref = m.get("ref")
        numbered = isinstance(ref, int) and not isinstance(ref, bool)
        entry.ref = str(ref) if numbered else self.text(m, "ref", label)
        entry.last_visit = self.day(m, "last_visit", label)
        return entry

    def day(self, m: _Mapping, key: str, label: str) -> date | None:
        """A calendar date, written 2026-02-27 (quoted or not)."""
        value = m.get(key)
        if isinstance(value, datetime):
            value = value.date()
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value.strip())
        if value is None or isinstance(value, date):
            return value
        self.problem(m.key_lines[key], f"{label}: {key} must be a date like 2026-02-27")
        return None
