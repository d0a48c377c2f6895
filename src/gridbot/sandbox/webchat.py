"""The web chat page of the stand: play any persona in any chat, in a browser.

``setup_webchat(app)`` adds ``GET /`` (the page), ``/static/...``, ``GET/POST /sim/personas``
(who the page can play: the demo registers the org's people) and ``GET /webchat/file/{id}``
(a file by file_id, so the page can show photos without knowing the bot's token),
``GET /webchat/info`` (the bot's time zone for message times, whether the transcript was
kept or reset, and the demo's guide) and ``/favicon.ico``. The page itself only talks to
the person's side (``/sim/...``), like any other client of the stand.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from aiohttp import web

from gridbot.sandbox.botapi import STATE_KEY
from gridbot.sandbox.sim_common import SimError, reply, sim_route
from gridbot.sandbox.state import SandboxState

Json = dict[str, Any]
STATIC_DIR = Path(__file__).parent / "static"
PERSONAS_KEY: web.AppKey[dict[int, Json]] = web.AppKey("webchat_personas", dict)
INFO_KEY: web.AppKey[Json] = web.AppKey("webchat_info", dict)
PERSONA_FIELDS = ("first_name", "last_name", "username", "language_code", "label")
DEFAULT_TZ = "Asia/Shanghai"
TranscriptStatus = Literal["new", "restored", "reset"]


def default_time_zone() -> str:
    """The bot's zone as the bot reads it (``GRIDBOT_TZ``), else the bot's default."""
    return os.environ.get("GRIDBOT_TZ") or DEFAULT_TZ


def set_time_zone(app: web.Application, tz_name: str) -> None:
    """Message times on the page are shown in this zone (the bot's), on a 24-hour clock."""
    ZoneInfo(tz_name)  # an unknown zone fails here, not in the browser
    app[INFO_KEY]["tz"] = tz_name


def set_transcript_status(app: web.Application, status: TranscriptStatus) -> None:
    """``restored``: the chats of an earlier run are back; ``reset``: they could not be."""
    app[INFO_KEY]["transcript"] = status


def register_guide(app: web.Application, steps: Iterable[Json]) -> None:
    """What to try as whom: ``{"user_id", "zh", "en"}`` per step, shown by the page until
    dismissed (the demo registers one; a bare stand has none)."""
    app[INFO_KEY]["guide"] = [
        {"user_id": int(step["user_id"]), "zh": str(step["zh"]), "en": str(step["en"])}
        for step in steps
    ]


def persona_of(body: Any) -> Json:
    """A persona from a JSON object: ``user_id`` and ``first_name`` are required."""
    if not isinstance(body, dict):
        raise SimError("a persona is a JSON object")
    try:
        user_id = int(body["user_id"])
    except (KeyError, TypeError, ValueError) as error:
        raise SimError("a persona needs a numeric user_id") from error
    if user_id <= 0:
        raise SimError("a persona's user_id must be positive")
    if not body.get("first_name"):
        raise SimError(f"persona {user_id} needs a first_name")
    persona: Json = {"user_id": user_id}
    for key in PERSONA_FIELDS:
        if body.get(key) not in (None, ""):
            persona[key] = str(body[key])
    return persona


def register_personas(app: web.Application, entries: Iterable[Any]) -> list[Json]:
    """Validate and keep personas (the demo calls this in-process); returns them cleaned."""
    personas = [persona_of(entry) for entry in entries]
    for persona in personas:
        remember(app, app[STATE_KEY], persona)
    return personas


def remember(app: web.Application, state: SandboxState, persona: Json) -> None:
    app[PERSONAS_KEY][persona["user_id"]] = persona
    # The stand learns the name now, so transcripts show it before the first message.
    state.ensure_user(
        persona["user_id"],
        first_name=persona["first_name"],
        last_name=persona.get("last_name"),
        username=persona.get("username"),
        language_code=persona.get("language_code"),
    )


async def list_personas(request: web.Request) -> web.Response:
    return reply(list(request.app[PERSONAS_KEY].values()))


@sim_route
async def add_personas(state: SandboxState, body: Json, request: web.Request) -> Json:
    """One persona, or ``{"personas": [...]}``; a known user_id is updated in place."""
    entries = body.get("personas", [body])
    if not isinstance(entries, list):
        raise SimError("personas must be a list")
    return {"ok": True, "personas": register_personas(request.app, entries)}


async def file_by_id(request: web.Request) -> web.Response:
    record = request.app[STATE_KEY].files.get(request.match_info["file_id"])
    if record is None:
        raise web.HTTPNotFound(text="no such file")
    content_type = record.mime_type or (
        "image/png" if record.file_path.endswith(".png") else "image/jpeg"
    )
    if not record.mime_type and not record.file_path.endswith((".png", ".jpg")):
        content_type = "application/octet-stream"
    return web.Response(body=record.content, content_type=content_type)


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


async def favicon(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "favicon.svg", headers={"Content-Type": "image/svg+xml"})


async def info(request: web.Request) -> web.Response:
    about = request.app[INFO_KEY]
    return reply({**about, "epoch": request.app[STATE_KEY].epoch})


def setup_webchat(app: web.Application, tz_name: str | None = None) -> None:
    """The page at ``/`` and its helpers; replaces nothing else of the stand."""
    app[PERSONAS_KEY] = {}
    app[INFO_KEY] = {"tz": DEFAULT_TZ, "transcript": "new", "guide": []}
    set_time_zone(app, tz_name or default_time_zone())
    app.router.add_get("/", index)
    app.router.add_get("/favicon.ico", favicon)
    app.router.add_get("/webchat/info", info)
    app.router.add_static("/static", STATIC_DIR)
    app.router.add_get("/sim/personas", list_personas)
    app.router.add_post("/sim/personas", add_personas)
    app.router.add_get("/webchat/file/{file_id}", file_by_id)
