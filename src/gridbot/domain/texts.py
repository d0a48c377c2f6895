"""What people type: the limits of a description or note, and the short public summary that
a group may see of it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gridbot.domain.errors import ValidationFailed

MAX_TEXT = 1000  # characters of a description or note
MAX_PHOTOS = 5
MAX_REPORTS_PER_HOUR = 5  # per person, issues + hazards + wishes
SUMMARY_LENGTH = 60
_DIGIT_RUNS = re.compile(r"\d[\d\s-]{5,}\d")  # phone numbers, ids, door codes


def check_text(text: str | None) -> str:
    """The stripped text; ValidationFailed (code text_empty / text_too_long) otherwise."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationFailed("the text is empty", code="text_empty", limit=MAX_TEXT)
    if len(cleaned) > MAX_TEXT:
        raise ValidationFailed(
            f"the text has {len(cleaned)} characters, at most {MAX_TEXT} are allowed",
            code="text_too_long",
            limit=MAX_TEXT,
            length=len(cleaned),
        )
    return cleaned


def optional_text(text: str | None) -> str | None:
    """A note that may be left out: None when blank, else checked like any text."""
    return check_text(text) if text is not None and text.strip() else None


def check_photos(photos: Sequence[str]) -> tuple[str, ...]:
    """At most MAX_PHOTOS non-empty file ids; ValidationFailed (code too_many_photos)."""
    kept = tuple(photo for photo in photos if photo)
    if len(kept) > MAX_PHOTOS:
        raise ValidationFailed(
            f"{len(kept)} photos, at most {MAX_PHOTOS} are allowed",
            code="too_many_photos",
            limit=MAX_PHOTOS,
        )
    return kept


def public_summary(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """A short, single-line version of a resident's text for a group: long digit runs
    (phone numbers and the like) are masked, and it is cut at ``limit`` characters."""
    line = " ".join(_DIGIT_RUNS.sub("***", text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
