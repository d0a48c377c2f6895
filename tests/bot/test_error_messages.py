"""Each refusal of the case workflow gets its own clear message, in both languages."""

from __future__ import annotations

import pytest

from gridbot.bot.templating import Renderer
from gridbot.handlers.errors import toast

RENDERER = Renderer()


def refusal(locale: str, **details: object) -> str:
    return RENDERER.render("errors.html.j2", locale, code="validation_failed", details=details)


@pytest.mark.parametrize(
    ("details", "zh", "en"),
    [
        ({"code": "evidence_required"}, "至少上传一张结果照片", "at least one photo"),
        ({"code": "duplicate_of", "number": "2026-9"}, "没有编号为 2026-9", "no case No. 2026-9"),
        ({"code": "duplicate_of"}, "另一件已有事项的编号", "another existing case"),
        ({"code": "return_reason"}, "请选择退回原因", "choose why"),
        ({"code": "transfer_target"}, "此人不能承接", "cannot take this case"),
        ({"code": "department"}, "该部门没有负责", "no liaison"),
        ({"code": "text_empty"}, "请写几句话", "write a few words"),
        ({"code": "too_many_photos", "limit": 5}, "最多 5 张", "at most 5"),
        ({"code": "date_in_past"}, "该日期已过", "already passed"),
        ({}, "您发送的内容有误", "Please check"),
    ],
)
def test_each_validation_code_has_its_own_message(
    details: dict[str, object], zh: str, en: str
) -> None:
    assert zh in refusal("zh", **details)
    assert en in refusal("en", **details)


def test_a_text_too_long_says_its_length_and_the_limit() -> None:
    text = refusal("zh", code="text_too_long", length=1234, limit=1000)
    assert "1234" in text and "1000" in text


def test_the_other_codes_still_render_without_details() -> None:
    text = RENDERER.render("errors.html.j2", "zh", code="permission_denied")
    assert "没有权限" in text


def test_a_toast_is_plain_text_within_telegrams_limit() -> None:
    assert toast("<b>No</b> &amp; never") == "No & never"
    assert len(toast("长" * 500)) == 200
