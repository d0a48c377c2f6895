"""A Telegram profile name is free text like any other: stored without control characters
(PostgreSQL refuses NUL) and without invisible padding."""

from __future__ import annotations

import pytest

from gridbot.services.membership import TelegramUser


@pytest.mark.parametrize(
    ("first", "last", "stored"),
    [
        ("李桂兰", None, "李桂兰"),
        ("李\x00桂兰", None, "李桂兰"),
        ("Zhou", "Xiaoyu", "Zhou Xiaoyu"),
        ("\u200bZhou\ufeff", "\u200b", "Zhou"),
        ("\x00", "王", "王"),
    ],
)
def test_a_profile_name_is_stored_cleaned(first: str, last: str | None, stored: str) -> None:
    assert TelegramUser(1, first, last).full_name == stored
