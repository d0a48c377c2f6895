"""The org file reader: every problem is found at once and names its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridbot.bot.orgfile import OrgFileError, parse_org_text, read_org_file
from gridbot.domain.org import GridKind, Role, UnitLevel

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-org.yaml"

TREE = """\
units:
  - {code: DL, name: 东丽区, level: district}
  - {code: DL-WX, name: 万新街道, level: street, parent: DL}
  - {code: DL-WX-LY, name: 临月里社区, level: community, parent: DL-WX}
  - {code: DL-WX-LY-01, name: 临月里第一网格, level: grid, parent: DL-WX-LY}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(OrgFileError) as caught:
        parse_org_text(text, "org.yaml")
    return caught.value.problems


def test_the_demo_file_is_valid_and_complete() -> None:
    spec = read_org_file(DEMO).to_spec()
    levels = [u.level for u in spec.units]
    assert levels.count(UnitLevel.GRID) == 4
    assert [u.kind for u in spec.units].count(GridKind.DEDICATED) == 1
    assert {c.code for c in spec.categories} >= {"env", "security", "fire", "repair", "other"}
    roles = {r.role for p in spec.people for r in p.roles}
    assert roles == set(Role)
    assert any(p.person.telegram_id is None for p in spec.people)


def test_a_valid_file_becomes_domain_objects_with_defaults() -> None:
    org = parse_org_text(
        TREE
        + "categories:\n"
        + "  - {code: env, name: 环境卫生}\n"
        + "people:\n"
        + "  - name: 张伟\n"
        + '    phone: "13800000001"\n'
        + "    roles: [{role: grid_worker, unit: DL-WX-LY-01, on_duty: false}]\n"
    )
    spec = org.to_spec()
    assert spec.units[3].kind == GridKind.RESIDENTIAL
    assert spec.units[2].kind is None
    assert spec.categories[0].route_to == Role.GRID_WORKER
    assert spec.people[0].person.phone == "13800000001"
    assert spec.people[0].roles[0].on_duty is False
    assert [u.line for u in org.units] == [2, 3, 4, 5]
    assert org.people[0].line == 9
    assert org.people[0].roles[0].line == 11


def test_malformed_yaml_names_the_parsers_line() -> None:
    assert problems("units:\n  - code: DL\n\tname: 东丽区\n") == [
        "org.yaml:3: malformed YAML: found character '\\t' that cannot start any token"
    ]


def test_an_empty_file_is_refused() -> None:
    assert problems("") == ["org.yaml: the file is empty; expected units, categories and people"]


def test_the_top_level_must_be_a_mapping_of_known_sections() -> None:
    assert problems("- a\n- b\n") == [
        "org.yaml:1: the file must be a mapping with units, categories and people"
    ]
    found = problems("units: {code: DL}\ngroups: []\n")
    known = "units, categories, people, care"
    assert f"org.yaml:2: the file: unknown key 'groups' (known: {known})" in found
    assert "org.yaml:1: units must be a list" in found


def test_entries_must_be_mappings() -> None:
    assert problems("units:\n  - DL\n") == ["org.yaml:1: every entry of units must be a mapping"]


def test_missing_and_unknown_keys_are_named() -> None:
    found = problems("units:\n  - {code: DL, level: district, colour: red}\n")
    assert found == [
        "org.yaml:2: unit DL: unknown key 'colour'"
        " (known: code, name, name_en, level, parent, kind)",
        "org.yaml:2: unit DL: missing name",
    ]


def test_a_key_given_twice_is_refused() -> None:
    assert problems("units:\n  - code: DL\n    name: a\n    name: b\n    level: district\n") == [
        "org.yaml:4: unit DL: name given twice"
    ]


def test_values_must_be_text() -> None:
    assert problems("units:\n  - {code: 7, name: x, level: district}\n") == [
        "org.yaml:2: unit 7: code must be text, not 7"
    ]


def test_a_duplicate_unit_code_is_refused() -> None:
    found = problems(TREE + "  - {code: DL-WX, name: 又一个, level: street, parent: DL}\n")
    assert found == ["org.yaml:6: unit DL-WX: code already used on line 3"]


def test_an_unknown_parent_is_refused() -> None:
    found = problems(TREE + "  - {code: DL-WX-LY-09, name: 九, level: grid, parent: DL-XX}\n")
    assert found == ["org.yaml:6: unit DL-WX-LY-09: unknown parent DL-XX"]


def test_a_parent_declared_after_its_child_is_refused() -> None:
    text = (
        "units:\n"
        "  - {code: DL, name: 东丽区, level: district}\n"
        "  - {code: DL-WX-LY, name: 临月里社区, level: community, parent: DL-WX}\n"
        "  - {code: DL-WX, name: 万新街道, level: street, parent: DL}\n"
    )
    assert problems(text) == [
        "org.yaml:3: unit DL-WX-LY: parent DL-WX must come before it (it is on line 4)"
    ]


def test_an_unknown_level_is_refused() -> None:
    found = problems(TREE + "  - {code: X1, name: x, level: village, parent: DL-WX}\n")
    assert found == [
        "org.yaml:6: unit X1: unknown level village (district, street, community, grid, building)"
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "  - {code: G9, name: x, level: grid, parent: DL-WX}\n",
            "unit G9: a grid must be under a community, not under street DL-WX (line 3)",
        ),
        (
            "  - {code: B9, name: x, level: building, parent: DL-WX-LY}\n",
            "unit B9: a building must be under a grid, not under community DL-WX-LY (line 4)",
        ),
        (
            "  - {code: C9, name: x, level: community, parent: DL}\n",
            "unit C9: a community must be under a street, not under district DL (line 2)",
        ),
        (
            "  - {code: S9, name: x, level: street, parent: DL-WX}\n",
            "unit S9: a street must be under a district, not under street DL-WX (line 3)",
        ),
        ("  - {code: S8, name: x, level: street}\n", "unit S8: a street needs a parent district"),
        (
            "  - {code: D2, name: x, level: district, parent: DL}\n",
            "unit D2: a district has no parent",
        ),
        (
            "  - {code: S7, name: x, level: street, parent: S7}\n",
            "unit S7: a unit cannot be its own parent",
        ),
    ],
)
def test_a_level_must_fit_its_parent(line: str, message: str) -> None:
    assert problems(TREE + line) == [f"org.yaml:6: {message}"]


def test_kind_is_only_for_grids_and_must_be_known() -> None:
    found = problems(
        TREE
        + "  - {code: G2, name: x, level: grid, parent: DL-WX-LY, kind: farm}\n"
        + "  - {code: B1, name: x, level: building, parent: G2, kind: residential}\n"
    )
    assert found == [
        "org.yaml:6: unit G2: unknown kind farm (residential, dedicated)",
        "org.yaml:7: unit B1: only grids have a kind",
    ]


def test_a_bad_unit_code_is_refused() -> None:
    assert problems("units:\n  - {code: 'D L', name: x, level: district}\n") == [
        "org.yaml:2: unit D L: a code is 1-40 letters, digits, - or _"
    ]


def category_problems(entries: str) -> list[str]:
    return problems("categories:\n" + entries)


def test_a_duplicate_category_code_is_refused() -> None:
    found = category_problems("  - {code: env, name: 环境卫生}\n  - {code: env, name: 卫生}\n")
    assert found == ["org.yaml:3: category env: code already used on line 2"]


def test_an_unknown_route_to_role_is_refused() -> None:
    found = category_problems("  - {code: env, name: 环境卫生, route_to: cleaner}\n")
    assert len(found) == 1
    assert found[0].startswith("org.yaml:2: category env: unknown route_to role cleaner (")
    found = category_problems("  - {code: env, name: 环境卫生, route_to: resident}\n")
    assert found[0].startswith("org.yaml:2: category env: unknown route_to role resident (")


def test_routing_to_a_grid_guide_needs_a_department() -> None:
    found = category_problems("  - {code: security, name: 治安, route_to: grid_guide}\n")
    assert found == ["org.yaml:2: category security: routing to grid_guide needs a department"]


def test_hours_and_days_must_be_positive_numbers() -> None:
    found = category_problems(
        "  - code: env\n"
        "    name: 环境卫生\n"
        "    respond_hours: 0\n"
        "    resolve_hours: -3\n"
        "    follow_up_days: soon\n"
    )
    assert found == [
        "org.yaml:4: category env: respond_hours must be a positive number, not 0",
        "org.yaml:5: category env: resolve_hours must be a positive number, not -3",
        "org.yaml:6: category env: follow_up_days must be a positive number, not soon",
    ]


def test_flags_must_be_booleans_and_resolving_cannot_be_faster_than_responding() -> None:
    found = category_problems(
        "  - {code: env, name: x, requires_evidence: yes please,\n"
        "     respond_hours: 5, resolve_hours: 2}\n"
    )
    assert found == [
        "org.yaml:2: category env: requires_evidence must be true or false",
        "org.yaml:3: category env: resolve_hours is shorter than respond_hours",
    ]


def people_problems(entries: str) -> list[str]:
    return problems(TREE + "people:\n" + entries)


def test_an_unknown_role_is_refused() -> None:
    found = people_problems("  - name: 张伟\n    roles: [{role: boss, unit: DL-WX-LY-01}]\n")
    assert len(found) == 1
    assert found[0].startswith("org.yaml:8: person 张伟: unknown role boss (resident, grid_worker")


def test_a_role_on_an_unknown_unit_is_refused() -> None:
    found = people_problems(
        "  - name: 张伟\n    roles:\n      - {role: grid_worker, unit: DL-XX}\n"
    )
    assert found == ["org.yaml:9: person 张伟: role grid_worker on unknown unit DL-XX"]


def test_a_telegram_id_must_be_an_integer() -> None:
    found = people_problems("  - name: 张伟\n    telegram_id: '1001'\n")
    assert found == ["org.yaml:8: person 张伟: telegram_id must be a positive integer, not '1001'"]


def test_a_telegram_id_may_not_be_shared() -> None:
    found = people_problems(
        "  - {name: 张伟, telegram_id: 1001}\n  - {name: 王芳, telegram_id: 1001}\n"
    )
    assert found == ["org.yaml:8: person 王芳: telegram_id 1001 already used by 张伟 (line 7)"]


def test_a_phone_may_not_be_shared() -> None:
    found = people_problems(
        "  - {name: 张伟, phone: '13800000001'}\n  - {name: 王芳, phone: '13800000001'}\n"
    )
    assert found == ["org.yaml:8: person 王芳: phone 13800000001 already used by 张伟 (line 7)"]


def test_a_phone_is_5_to_20_digits_written_as_text() -> None:
    found = people_problems(
        "  - {name: 张伟, phone: '138-0000'}\n"
        "  - {name: 王芳, phone: '1234'}\n"
        "  - {name: 李娜, phone: 13800000001}\n"
    )
    assert found == [
        "org.yaml:7: person 张伟: phone 138-0000 must be 5-20 digits",
        "org.yaml:8: person 王芳: phone 1234 must be 5-20 digits",
        'org.yaml:9: person 李娜: phone must be quoted text, like "13800000001"',
    ]


def test_namesakes_without_telegram_id_or_phone_cannot_be_told_apart() -> None:
    found = people_problems("  - {name: 张伟, telegram_id: 1001}\n  - {name: 张伟}\n")
    assert found == [
        "org.yaml:8: person 张伟: same name as on line 7: "
        "give a telegram_id or phone to tell them apart"
    ]


def test_guides_need_a_department_and_roles_are_not_repeated() -> None:
    found = people_problems(
        "  - name: 徐强\n"
        "    roles:\n"
        "      - {role: grid_guide, unit: DL-WX-LY-01}\n"
        "      - {role: party_member, unit: DL-WX-LY-01}\n"
        "      - {role: party_member, unit: DL-WX-LY-01}\n"
    )
    assert found == [
        "org.yaml:9: person 徐强: role grid_guide on DL-WX-LY-01: needs the person's department",
        "org.yaml:11: person 徐强: role party_member on DL-WX-LY-01: given twice",
    ]


def test_residents_belong_to_a_grid_or_building() -> None:
    found = people_problems("  - {name: 李桂兰, roles: [{role: resident, unit: DL-WX}]}\n")
    assert found == [
        "org.yaml:7: person 李桂兰: role resident on DL-WX: "
        "a resident belongs to a grid or a building"
    ]


def test_an_unknown_language_is_refused() -> None:
    assert people_problems("  - {name: 张伟, language: fr}\n") == [
        "org.yaml:7: person 张伟: unknown language fr (zh, en)"
    ]


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        TREE
        + "  - {code: DL-WX-LY-09, name: 九, level: grid, parent: DL-XX}\n"
        + "categories:\n"
        + "  - {code: security, name: 治安, route_to: grid_guide}\n"
        + "people:\n"
        + "  - {name: 张伟, telegram_id: x1, roles: [{role: boss, unit: DL-WX-LY-01}]}\n"
    )
    assert [p.split(":")[1] for p in found] == ["6", "8", "10", "10"]


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(OrgFileError) as caught:
        read_org_file(tmp_path / "nope.yaml")
    assert caught.value.problems[0].startswith("nope.yaml: cannot read the file")
