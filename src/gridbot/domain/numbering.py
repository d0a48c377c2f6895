"""Case numbers: ``2026-000123``, the year and a sequence that restarts each year."""

from __future__ import annotations

import re
import unicodedata

from gridbot.domain.errors import ValidationFailed

SEQ_WIDTH = 6
_DASHES = "-‐‑‒–—―−－_"
_NUMBER = re.compile(r"^(\d{4})-(\d{1,9})$")
_RUN_TOGETHER = re.compile(r"^(\d{4})(\d{6})$")


def format_case_number(year: int, seq: int) -> str:
    """``format_case_number(2026, 123) == "2026-000123"``; a seq past 999999 grows wider."""
    if not 1000 <= year <= 9999:
        raise ValidationFailed(f"a case number year has four digits, got {year}", year=year)
    if seq < 1:
        raise ValidationFailed(f"a case number sequence starts at 1, got {seq}", seq=seq)
    return f"{year}-{seq:0{SEQ_WIDTH}d}"


def parse_case_number(text: str) -> tuple[int, int]:
    """``(year, seq)`` from what a person typed: spaces, full-width digits, any dash, a ``#``.

    Raises ValidationFailed when it is not a case number.
    """
    # NFKC turns full-width digits typed on Chinese keyboards into ASCII ones.
    cleaned = "".join(unicodedata.normalize("NFKC", text).split()).lstrip("#№")
    for dash in _DASHES:
        cleaned = cleaned.replace(dash, "-")
    match = _NUMBER.match(cleaned) or _RUN_TOGETHER.match(cleaned)
    if match is None:
        raise ValidationFailed(f"{text!r} is not a case number like 2026-000123", text=text)
    year, seq = int(match.group(1)), int(match.group(2))
    if seq < 1 or year < 1000:
        raise ValidationFailed(f"{text!r} is not a case number like 2026-000123", text=text)
    return year, seq
