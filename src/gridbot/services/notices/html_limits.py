"""Fit HTML-formatted text into Telegram's length limits without breaking the markup.

Telegram counts the visible text (after parsing the HTML) in UTF-16 code units: 4096 for a
message, 1024 for a caption. Cutting the HTML source blindly could split a tag or an entity
and make Telegram refuse the whole message, so the cut is made between tokens, an ellipsis
marks it, and the tags still open are closed.
"""

from __future__ import annotations

import re

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
ELLIPSIS = "…"

_TOKEN = re.compile(
    r"(?P<tag><\s*(?P<closing>/?)\s*(?P<name>[a-zA-Z][a-zA-Z0-9-]*)[^>]*>)"
    r"|(?P<entity>&(?:#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);)"
    r"|(?P<char>[\s\S])"
)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_length(html: str) -> int:
    """The length Telegram counts: text and entities, not tags."""
    length = 0
    for match in _TOKEN.finditer(html):
        if match.group("entity"):
            length += 1
        elif match.group("char"):
            length += utf16_length(match.group("char"))
    return length


def fit_html(html: str, limit: int) -> str:
    """``html`` unchanged if it fits in ``limit``; else cut, with an ellipsis, tags closed."""
    # The visible text is never longer than the source: most messages need no counting.
    if utf16_length(html) <= limit or visible_length(html) <= limit:
        return html
    budget = limit - utf16_length(ELLIPSIS)
    out: list[str] = []
    open_tags: list[str] = []
    used = 0
    for match in _TOKEN.finditer(html):
        if match.group("tag"):
            name = match.group("name").lower()
            if match.group("closing"):
                if open_tags and open_tags[-1] == name:
                    open_tags.pop()
            elif not match.group("tag").rstrip(">").rstrip().endswith("/"):
                open_tags.append(name)
            out.append(match.group("tag"))
            continue
        size = 1 if match.group("entity") else utf16_length(match.group(0))
        if used + size > budget:
            break
        used += size
        out.append(match.group(0))
    text = "".join(out).rstrip() + ELLIPSIS
    return text + "".join(f"</{name}>" for name in reversed(open_tags))
