"""What people type: the limits of a description or note, and the short public summary that
a group may see of it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from gridbot.domain.errors import ValidationFailed

MAX_TEXT = 1000  # characters of a description or note
MAX_PHOTOS = 5
MAX_REPORTS_PER_HOUR = 5  # per person, issues + hazards + wishes
SUMMARY_LENGTH = 60
_LINE_BREAKS = re.compile(r"\r\n?")
# C0 controls but tab and newline, DEL, and the C1 controls: invisible, meaningless in a
# message, and NUL cannot be stored in a PostgreSQL text column at all.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Shown as nothing, though not "format" characters: Hangul fillers, the braille blank.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def clean_text(text: str | None) -> str:
    """What people type, as stored: line breaks made ``\\n``, control characters (but tab
    and newline) removed, and whitespace and invisible characters (zero-width spaces and
    joiners, the BOM, direction marks, …) trimmed from both ends. Invisible characters
    inside the text stay: a joiner inside an emoji or a word is part of it."""
    without_controls = _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text or ""))
    start, end = 0, len(without_controls)
    while start < end and _invisible(without_controls[start]):
        start += 1
    while end > start and _invisible(without_controls[end - 1]):
        end -= 1
    return without_controls[start:end]


def _invisible(char: str) -> bool:
    return char.isspace() or char in _BLANK_LOOKING or unicodedata.category(char) == "Cf"


def check_text(text: str | None) -> str:
    """The cleaned text (``clean_text``); ValidationFailed (code text_empty when nothing
    visible is left, text_too_long) otherwise."""
    cleaned = clean_text(text)
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
    return check_text(text) if clean_text(text) else None


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


# -- masking: what a group may read of a resident's words ------------------------------

MASK = "***"
_WIDE = {0xFF10 + i: ord("0") + i for i in range(10)}
_WIDE.update({0xFF21 + i: ord("A") + i for i in range(26)})
_WIDE.update({0xFF41 + i: ord("a") + i for i in range(26)})
_WIDE.update({0xFF0B: ord("+"), 0xFF0D: ord("-"), 0xFF20: ord("@"), 0xFF0E: ord(".")})
# A digit in any spelling people type one: Arabic, Chinese (幺 and 洞 as read aloud).
_DIGIT = "[0-9零〇○一二三四五六七八九幺两洞]"
_SEP = r"[\s\-.·•_/()（）—–]"
# Seven digits or more, however separated: mobiles, landlines, ID numbers (X at the end).
_NUMBERS = re.compile(
    rf"(?:\+\s*\d{{1,3}}{_SEP}*)?{_DIGIT}(?:{_SEP}{{0,2}}{_DIGIT}){{6,}}(?:[Xx](?![A-Za-z]))?"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MESSENGER = re.compile(
    r"(微信号?|威信|v信|vx|wx|wechat|QQ号?|qq号?|扣扣)\s*(?:号|id)?\s*[:：]?\s*[A-Za-z0-9_.\-]{4,}",
    re.IGNORECASE,
)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE = re.compile(rf"[{_PROVINCES}]\s*[A-Za-z]\s*[·•.\-]?\s*[A-Za-z0-9]{{5,6}}(?![A-Za-z0-9])")
_NUM = "(?:\\d+|[一二三四五六七八九十两]+)"
# Unit and room below a building: 2单元501室, 501室, 5-501, 3-2-501; 3号楼501 keeps 3号楼.
_ROOMS = (
    re.compile(rf"{_NUM}\s*单元(?:\s*\d+\s*(?:室|房|号房|号)?)?"),
    re.compile(r"\d{1,2}\s*-\s*\d{1,2}\s*-\s*\d{3,4}(?:\s*(?:室|房|号房|号))?"),
    re.compile(r"(?<![\d-])\d{1,2}\s*-\s*\d{3,4}(?![\d-])(?:\s*(?:室|房|号房|号))?"),
    re.compile(r"\d{3,4}\s*(?:室|房间|号房|房)"),
)
_AFTER_BUILDING = re.compile(r"((?:号楼|楼|栋|幢|座))\s*(\d{3,4})(?![\d号楼栋幢座])")
# 我是李桂兰 / 我叫 / 本人 / 姓名: a name given in passing, two to four Chinese characters.
_SELF_NAMED = re.compile(
    r"(我是|我叫|我姓|本人|姓名\s*[:：]?|联系人\s*[:：]?)\s*([\u4e00-\u9fff]{2,4}?)(?=[\s，,。.!！；;：:、]|$|电话|手机|住|身份证|联系)"
)
_NOT_NAMES = frozenset(
    {"业主", "住户", "居民", "租户", "楼长", "老人", "本楼", "这里", "附近", "邻居"}
)


def _name_masked(match: re.Match[str]) -> str:
    said = match.group(2)
    return match.group(0) if said in _NOT_NAMES else match.group(1) + MASK


def mask_personal(text: str, names: Sequence[str] = ()) -> str:
    """``text`` with what identifies a person masked: the ``names`` given (the reporter's
    and everyone the bot knows on the grid) and names given in passing (我是…), phone
    numbers and ID numbers in any spelling, e-mail and messenger ids, licence plates, and
    the unit and room below a building (the building itself stays)."""
    masked = text.translate(_WIDE)
    masked = _EMAIL.sub(MASK, masked)
    masked = _MESSENGER.sub(lambda m: m.group(1) + MASK, masked)
    masked = _PLATE.sub(MASK, masked)
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True
    ):
        masked = re.sub(re.escape(name), MASK, masked, flags=re.IGNORECASE)
    masked = _SELF_NAMED.sub(_name_masked, masked)
    masked = _NUMBERS.sub(MASK, masked)
    for rooms in _ROOMS:
        masked = rooms.sub(MASK, masked)
    return _AFTER_BUILDING.sub(lambda m: m.group(1) + MASK, masked)


def public_summary(text: str, limit: int = SUMMARY_LENGTH, names: Sequence[str] = ()) -> str:
    """A short, single-line version of a resident's text for a group: masked as
    ``mask_personal`` does, then cut at ``limit`` characters."""
    line = " ".join(mask_personal(text, names).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
