"""What Telegram checks before it accepts a message: formatting, lengths, keyboards."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gridbot.sandbox.errors import ApiError, bad_request

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64

ENTITY_OF_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_CHARACTERS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^>]*)?)\s*/?>")
ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
CHARACTER_REFERENCE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cant_parse(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


@dataclass
class _OpenTag:
    name: str
    offset: int
    attributes: dict[str, str] = field(default_factory=dict)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: the plain text and its entities (UTF-16 offsets)."""
    out: list[str] = []
    length = 0  # UTF-16 length of what is in ``out``
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(source):
        char = source[i]
        byte_offset = len(source[:i].encode())
        if char == "<":
            match = TAG.match(source, i)
            if match is None:
                raise cant_parse(f"Unexpected end of name token at byte offset {byte_offset}")
            closing, name = match.group(1) == "/", match.group(2).lower()
            if closing:
                if not stack:
                    raise cant_parse(f"Unexpected end tag at byte offset {byte_offset}")
                opened = stack.pop()
                if opened.name != name:
                    raise cant_parse(
                        f'Unmatched end tag at byte offset {byte_offset}, expected "</'
                        f'{opened.name}>", found "</{name}>"'
                    )
                entity = _entity(opened, length - opened.offset)
                if entity is not None:
                    entities.append(entity)
            else:
                if name not in ENTITY_OF_TAG:
                    raise cant_parse(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
                attributes = {
                    m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
                    for m in ATTRIBUTE.finditer(match.group(3))
                }
                if name == "span" and attributes.get("class") != "tg-spoiler":
                    raise cant_parse(
                        f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset}'
                    )
                stack.append(_OpenTag(name, length, attributes))
            i = match.end()
            continue
        if char == "&" and (ref := CHARACTER_REFERENCE.match(source, i)):
            char = _character(ref.group(1)) or ref.group(0)
            i = ref.end()
        else:
            i += 1
        out.append(char)
        length += utf16_length(char)
    if stack:
        raise cant_parse(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _character(reference: str) -> str | None:
    if reference.startswith("#x"):
        return chr(int(reference[2:], 16))
    if reference.startswith("#"):
        return chr(int(reference[1:]))
    return NAMED_CHARACTERS.get(reference)


def _entity(tag: _OpenTag, length: int) -> dict[str, Any] | None:
    if length <= 0:
        return None
    entity: dict[str, Any] = {
        "type": ENTITY_OF_TAG[tag.name],
        "offset": tag.offset,
        "length": length,
    }
    if tag.name == "a":
        href = tag.attributes.get("href", "")
        if not href:
            return None
        if href.startswith("tg://user?id="):
            return {**entity, "type": "text_mention", "user": {"id": int(href[13:] or 0)}}
        entity["url"] = href
    elif tag.name == "blockquote" and "expandable" in tag.attributes:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attributes.get("emoji-id", "")
    return entity


def format_text(text: str | None, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Apply ``parse_mode``; Markdown modes are passed through unchecked."""
    text = text or ""
    if not parse_mode:
        return text, []
    mode = parse_mode.lower()
    if mode == "html":
        return parse_html(text)
    if mode in ("markdown", "markdownv2"):
        return text, []
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def check_text(text: str) -> None:
    if not text.strip():
        raise bad_request("message text is empty")
    if utf16_length(text) > TEXT_LIMIT:
        raise bad_request("message is too long")


def check_caption(caption: str) -> None:
    if utf16_length(caption) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")


def check_reply_markup(markup: Any) -> None:
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
    elif not ({"remove_keyboard", "force_reply"} & markup.keys()):
        raise bad_request("can't parse reply keyboard markup JSON object")


INLINE_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "web_app",
    "callback_game",
    "pay",
)


TEXT_BUTTONS_UNALLOWED = (
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request(TEXT_BUTTONS_UNALLOWED)
            if not any(button.get(action) is not None for action in INLINE_ACTIONS):
                raise bad_request(TEXT_BUTTONS_UNALLOWED)
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise bad_request("BUTTON_DATA_INVALID")
