from __future__ import annotations

import pytest

from gridbot.domain.errors import ValidationFailed
from gridbot.domain.numbering import format_case_number, parse_case_number


def test_a_case_number_is_the_year_and_a_six_digit_sequence() -> None:
    assert format_case_number(2026, 123) == "2026-000123"
    assert format_case_number(2026, 1234567) == "2026-1234567"


@pytest.mark.parametrize(("year", "seq"), [(26, 1), (2026, 0), (2026, -5), (20260, 1)])
def test_impossible_numbers_are_not_formatted(year: int, seq: int) -> None:
    with pytest.raises(ValidationFailed):
        format_case_number(year, seq)


@pytest.mark.parametrize(
    "text",
    [
        "2026-000123",
        " 2026-000123 ",
        "2026 - 000123",
        "2026-123",
        "#2026-000123",
        "2026–000123",
        "２０２６－０００１２３",
        "2026000123",
        "2026 000 123",
    ],
)
def test_a_typed_case_number_is_understood_despite_spaces_and_dashes(text: str) -> None:
    assert parse_case_number(text) == (2026, 123)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "2026-", "-000123", "26-000123", "2026-000000", "2026-12a3", "2026/1"],
)
def test_garbage_is_not_a_case_number(text: str) -> None:
    with pytest.raises(ValidationFailed, match="not a case number"):
        parse_case_number(text)


@pytest.mark.parametrize(("year", "seq"), [(2026, 1), (2027, 999999), (2030, 1000000)])
def test_formatting_and_parsing_round_trip(year: int, seq: int) -> None:
    assert parse_case_number(format_case_number(year, seq)) == (year, seq)
