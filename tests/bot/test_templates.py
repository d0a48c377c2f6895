from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from gridbot.bot.templating import Renderer, render
from gridbot.domain.org import OrgUnit, Person, Role, UnitLevel
from gridbot.services.membership import PersonView, RoleView
from gridbot.services.notices.commands import CommandGroup

GRID = OrgUnit("DL-WX-LY-01", "临月里第一网格", UnitLevel.GRID)


def resident(name: str = "王芳") -> PersonView:
    return PersonView(telegram_id=1, person=Person(name=name, id=1), grids=(GRID,))


def test_start_for_a_stranger_tells_how_to_join_in_chinese_and_english() -> None:
    stranger = PersonView(telegram_id=1)
    zh = render("start.html.j2", "zh", view=stranger, first_name="李")
    en = render("start.html.j2", "en", view=stranger, first_name="Li")
    assert "李，您好！" in zh and "加入链接" in zh
    assert "Hello, Li!" in en and "join link" in en


def test_start_for_a_bound_resident_names_the_grid() -> None:
    text = render("start.html.j2", "zh", view=resident(), first_name="x")
    assert "王芳，您好！" in text
    assert "您所在的网格：<b>临月里第一网格</b>" in text
    assert "加入链接" not in text


def test_start_for_staff_lists_their_roles() -> None:
    view = PersonView(
        telegram_id=1,
        person=Person(name="张伟", id=1),
        staff_roles=(RoleView(Role.GRID_WORKER, GRID.code, GRID.name),),
    )
    text = render("start.html.j2", "en", view=view, first_name="x")
    assert "• Grid worker · 临月里第一网格" in text


def test_user_provided_names_are_escaped_for_telegram_html() -> None:
    text = render("start.html.j2", "en", view=resident("<b>Eve</b> & co"), first_name="x")
    assert "Hello, &lt;b&gt;Eve&lt;/b&gt; &amp; co!" in text
    assert "<b>Eve</b>" not in text


def test_a_missing_variable_fails_loudly() -> None:
    with pytest.raises(UndefinedError):
        render("start.html.j2", "zh", view=PersonView(telegram_id=1))


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_help_lists_only_the_given_groups(locale: str) -> None:
    text = render("help.html.j2", locale, groups=[CommandGroup.RESIDENT])
    assert "/report" in text and "/lang" in text
    assert "/tasks" not in text and "/stats" not in text


def test_help_shows_argument_hints_escaped() -> None:
    text = render("help.html.j2", "en", groups=[CommandGroup.WORKER])
    assert "/case &lt;no&gt; — Open a case by its number" in text


@pytest.mark.parametrize(
    ("code", "zh_fragment"),
    [
        ("permission_denied", "没有权限"),
        ("not_found", "没有找到"),
        ("unexpected", "我们正在处理"),
        ("some_future_code", "无法完成"),
    ],
)
def test_errors_are_keyed_by_code(code: str, zh_fragment: str) -> None:
    assert zh_fragment in render("errors.html.j2", "zh", code=code)


def test_rendered_messages_have_no_blank_runs_or_edges() -> None:
    text = Renderer().render("help.html.j2", "zh", groups=list(CommandGroup))
    assert text == text.strip() and "\n\n\n" not in text


def test_an_unsupported_locale_renders_in_the_default() -> None:
    assert "命令列表" in render("help.html.j2", "fr", groups=[CommandGroup.RESIDENT])
