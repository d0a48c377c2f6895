"""What people type, cleaned at the edge: control characters removed (NUL cannot be stored
on PostgreSQL), and text with nothing visible in it refused as empty."""

from __future__ import annotations

import pytest

from gridbot.domain.care import check_line
from gridbot.domain.errors import ValidationFailed
from gridbot.domain.texts import MAX_TEXT, check_text, clean_text, optional_text

INVISIBLE_ONLY = [
    "",
    "   \n\t ",
    "\u200b",  # zero-width space
    "\u200b\u200b\u200b",
    "\u200c\u200d",  # zero-width non-joiner, joiner
    "\ufeff",  # byte order mark
    "\u2060",  # word joiner
    "\u200e\u200f\u202a\u202c",  # direction marks and embeddings
    "\u00ad",  # soft hyphen
    "\u3164",  # Hangul filler
    "\u2800",  # braille blank
    "\u3000\u200b ",  # ideographic space among them
    "\x00",
    "\x00\x01\x7f\x9b",
]


@pytest.mark.parametrize("text", INVISIBLE_ONLY)
def test_text_with_nothing_visible_is_refused_as_empty(text: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_text(text)
    assert refused.value.details["code"] == "text_empty"
    assert optional_text(text) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("楼道灯坏了", "楼道灯坏了"),
        ("  楼道灯坏了 \n", "楼道灯坏了"),
        ("楼道\x00灯坏了", "楼道灯坏了"),  # NUL: refused by PostgreSQL, meaningless anyway
        ("a\x01b\x1bc\x7fd\x85e", "abcde"),  # other C0, DEL and C1 controls
        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"),
        ("列1\t列2\n行2", "列1\t列2\n行2"),  # tab and newline stay
        ("\u200b\ufeff垃圾桶满了\u200b", "垃圾桶满了"),  # invisible ends trimmed
        ("👨\u200d👩\u200d👧 一家", "👨\u200d👩\u200d👧 一家"),  # a joiner inside stays
        ("'; DROP TABLE cases; --", "'; DROP TABLE cases; --"),  # stored verbatim
        ("<b>粗</b> &amp;", "<b>粗</b> &amp;"),
    ],
)
def test_text_is_cleaned_of_controls_and_trimmed_of_invisible_ends(typed: str, stored: str) -> None:
    assert clean_text(typed) == stored
    assert check_text(typed) == stored
    assert optional_text(typed) == stored


def test_the_length_is_counted_after_cleaning() -> None:
    assert check_text("\x00" * 50 + "好" * MAX_TEXT) == "好" * MAX_TEXT
    with pytest.raises(ValidationFailed) as refused:
        check_text("好" * (MAX_TEXT + 1))
    assert refused.value.details["code"] == "text_too_long"


def test_a_name_or_address_line_is_cleaned_alike() -> None:
    assert check_line("王\x00 \u200b  大爷", 20) == "王 \u200b 大爷"
    with pytest.raises(ValidationFailed) as refused:
        check_line("\u200b\ufeff", 20)
    assert refused.value.details["code"] == "text_empty"
