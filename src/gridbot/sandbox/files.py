"""Files on the stand: uploads, generated pictures, photo sizes, documents."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from gridbot.sandbox.state import FileRecord, SandboxState

Json = dict[str, Any]
THUMBNAIL_SIDE = 90


def tiny_png(width: int = 16, height: int = 12, rgb: tuple[int, int, int] = (46, 125, 50)) -> bytes:
    """A valid single-colour PNG, for the photos people send from the person's side."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def image_size(content: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG; (0, 0) when it is neither."""
    if content.startswith(b"\x89PNG") and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return int(width), int(height)
    if content.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(content) and content[i] == 0xFF:
            marker, length = content[i + 1], struct.unpack(">H", content[i + 2 : i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", content[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return 0, 0


def extension_of(content: bytes) -> str:
    if content.startswith(b"\x89PNG"):
        return "png"
    return "jpg"


def photo_size(record: FileRecord) -> Json:
    return {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "file_size": len(record.content),
        "width": record.width or 0,
        "height": record.height or 0,
    }


def store_photo(state: SandboxState, content: bytes) -> list[Json]:
    """The PhotoSize list Telegram gives for a picture: a thumbnail, then the original."""
    width, height = image_size(content)
    if not width:
        width, height = 320, 240
    ext = extension_of(content)
    sizes = []
    if max(width, height) > THUMBNAIL_SIDE:
        scale = THUMBNAIL_SIDE / max(width, height)
        thumb = state.add_file(
            content, "photos", ext, width=round(width * scale), height=round(height * scale)
        )
        sizes.append(photo_size(thumb))
    original = state.add_file(content, "photos", ext, width=width, height=height)
    sizes.append(photo_size(original))
    for size in sizes:
        state.files[size["file_id"]].photo_sizes = sizes
    return sizes


def document_object(record: FileRecord) -> Json:
    document: Json = {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "file_size": len(record.content),
    }
    if record.file_name:
        document["file_name"] = record.file_name
    if record.mime_type:
        document["mime_type"] = record.mime_type
    return document


def store_document(
    state: SandboxState, content: bytes, file_name: str, mime_type: str | None
) -> Json:
    ext = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
    record = state.add_file(
        content, "documents", ext, file_name=file_name, mime_type=mime_type or None
    )
    return document_object(record)


def file_object(record: FileRecord) -> Json:
    return {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "file_size": len(record.content),
        "file_path": record.file_path,
    }
