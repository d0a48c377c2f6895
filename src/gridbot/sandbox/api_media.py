"""Bot API: photos, documents, albums, files, locations and polls."""

from __future__ import annotations

import io
import mimetypes
import secrets
from typing import Any

from PIL import Image, UnidentifiedImageError

from gridbot.sandbox.api_messages import deliver, formatted, target_chat
from gridbot.sandbox.calls import Call, Upload, api_method
from gridbot.sandbox.errors import ApiError, bad_request
from gridbot.sandbox.files import (
    document_object,
    file_object,
    store_document,
    store_photo,
    tiny_png,
)
from gridbot.sandbox.state import FileRecord
from gridbot.sandbox.validation import check_caption

Json = dict[str, Any]
WRONG_FILE = "wrong file identifier/HTTP URL specified"
MEDIA_GROUP_SIZE = range(2, 11)
# What Telegram takes from a bot's upload (core.telegram.org/bots/api#sending-files).
PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_SIDES = 10_000  # width + height
PHOTO_RATIO = 20  # the longer side over the shorter
DOCUMENT_BYTES = 50 * 1024 * 1024


def entity_too_large() -> ApiError:
    return ApiError(413, "Request Entity Too Large")


def check_photo(upload: Upload) -> None:
    """An uploaded photo: at most 10 MB, a picture that decodes, sides within limits."""
    if len(upload.content) > PHOTO_BYTES:
        raise bad_request("PHOTO_SAVE_FILE_INVALID")
    try:
        with Image.open(io.BytesIO(upload.content)) as picture:
            longer, shorter = max(picture.size), min(picture.size)
            if longer + shorter > PHOTO_SIDES or longer > PHOTO_RATIO * shorter:
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
            picture.load()  # every pixel: a cut or corrupt file fails here
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise bad_request("IMAGE_PROCESS_FAILED") from error


def check_document(upload: Upload) -> None:
    """An uploaded document: not empty, at most 50 MB."""
    if not upload.content:
        raise bad_request("file must be non-empty")
    if len(upload.content) > DOCUMENT_BYTES:
        raise entity_too_large()


def input_file(call: Call, value: Any, name: str) -> Upload | FileRecord:
    """An uploaded file (by field or ``attach://``), a known file_id, or a URL."""
    if name in call.uploads:
        return call.uploads[name]
    if not isinstance(value, str) or not value:
        raise bad_request(f"there is no {name} in the request")
    if value.startswith("attach://"):
        upload = call.uploads.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(WRONG_FILE)
        return upload
    if value in call.state.files:
        return call.state.files[value]
    if value.startswith(("http://", "https://")):
        # The stand cannot fetch the Internet; a URL stands for a small picture.
        return Upload(filename=value.rsplit("/", 1)[-1] or "file", content=tiny_png())
    raise bad_request(WRONG_FILE)


def photo_fields(call: Call, source: Upload | FileRecord) -> list[Json]:
    if isinstance(source, FileRecord) and source.photo_sizes:
        return source.photo_sizes
    if isinstance(source, Upload):
        check_photo(source)
    return store_photo(call.state, source.content)


def document_fields(call: Call, source: Upload | FileRecord) -> Json:
    if isinstance(source, FileRecord):
        return document_object(source)
    check_document(source)
    mime = source.content_type
    if not mime or mime == "application/octet-stream":
        mime = mimetypes.guess_type(source.filename)[0] or mime
    return store_document(call.state, source.content, source.filename, mime)


def caption_fields(call: Call) -> Json:
    if not call.has("caption"):
        return {}
    fields = formatted(call, "caption", "caption_entities")
    check_caption(fields["caption"])
    return fields


@api_method("sendPhoto")
async def send_photo(call: Call) -> Json:
    chat = target_chat(call)
    photo = photo_fields(call, input_file(call, call.text("photo"), "photo"))
    return deliver(call, chat, {"photo": photo, **caption_fields(call)})


@api_method("sendDocument")
async def send_document(call: Call) -> Json:
    chat = target_chat(call)
    document = document_fields(call, input_file(call, call.text("document"), "document"))
    return deliver(call, chat, {"document": document, **caption_fields(call)})


@api_method("sendMediaGroup")
async def send_media_group(call: Call) -> list[Json]:
    chat = target_chat(call)
    media = call.obj("media")
    if not isinstance(media, list) or len(media) not in MEDIA_GROUP_SIZE:
        raise bad_request("wrong number of media in the media group")
    group_id = str(secrets.randbelow(10**18))
    sent = []
    for item in media:
        source = input_file(call, item.get("media"), "media")
        kind = item.get("type")
        if kind == "photo":
            fields: Json = {"photo": photo_fields(call, source)}
        elif kind == "document":
            fields = {"document": document_fields(call, source)}
        else:
            raise bad_request(f"unsupported media type {kind!r} in the stand")
        if item.get("caption"):
            check_caption(item["caption"])
            fields["caption"] = item["caption"]
        sent.append(deliver(call, chat, {**fields, "media_group_id": group_id}))
    return sent


@api_method("getFile")
async def get_file(call: Call) -> Json:
    record = call.state.files.get(call.text("file_id") or "")
    if record is None:
        raise bad_request("invalid file_id")
    return file_object(record)


@api_method("sendLocation")
async def send_location(call: Call) -> Json:
    chat = target_chat(call)
    try:
        latitude, longitude = float(call.params["latitude"]), float(call.params["longitude"])
    except (KeyError, TypeError, ValueError) as error:
        raise bad_request("wrong latitude or longitude specified") from error
    return deliver(call, chat, {"location": {"latitude": latitude, "longitude": longitude}})


@api_method("sendPoll")
async def send_poll(call: Call) -> Json:
    chat = target_chat(call)
    options = call.obj("options") or []
    texts = [o.get("text", "") if isinstance(o, dict) else str(o) for o in options]
    if len(texts) < 2:
        raise bad_request("poll must have at least 2 option")
    if len(texts) > 12:
        raise bad_request("poll can't have more than 12 options")
    poll = {
        "id": str(secrets.randbelow(10**18)),
        "question": call.text("question") or "",
        "options": [
            {"persistent_id": str(n), "text": text, "voter_count": 0}
            for n, text in enumerate(texts)
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": call.flag("is_anonymous", True),
        "type": call.text("type") or "regular",
        "allows_multiple_answers": call.flag("allows_multiple_answers"),
        "allows_revoting": True,
        "members_only": False,
    }
    if not poll["question"]:
        raise bad_request("poll question must be non-empty")
    return deliver(call, chat, {"poll": poll})


@api_method("stopPoll")
async def stop_poll(call: Call) -> Json:
    chat = call.state.chats.get(call.required_int("chat_id"))
    stored = chat.messages.get(call.required_int("message_id")) if chat else None
    if stored is None or "poll" not in stored.data:
        raise bad_request("message with poll to stop not found")
    poll: Json = stored.data["poll"]
    if poll["is_closed"]:
        raise bad_request("poll has already been closed")
    poll["is_closed"] = True
    return dict(poll)
