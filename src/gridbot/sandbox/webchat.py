"""The web chat page of the stand: play any persona in any chat, in a browser.

``setup_webchat(app)`` adds ``GET /`` (the page), ``/static/...``, ``GET/POST /sim/personas``
(who the page can play: the demo registers the org's people) and ``GET /webchat/file/{id}``
(a file by file_id, so the page can show photos without knowing the bot's token). The page
itself only talks to the person's side (``/sim/...``), like any other client of the stand.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aiohttp import web

from gridbot.sandbox.botapi import STATE_KEY
from gridbot.sandbox.sim_common import SimError, reply, sim_route
from gridbot.sandbox.state import SandboxState

Json = dict[str, Any]
STATIC_DIR = Path(__file__).parent / "static"
PERSONAS_KEY: web.AppKey[dict[int, Json]] = web.AppKey("webchat_personas", dict)
PERSONA_FIELDS = ("first_name", "last_name", "username", "language_code", "label")


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


def setup_webchat(app: web.Application) -> None:
    """The page at ``/`` and its helpers; replaces nothing else of the stand."""
    app[PERSONAS_KEY] = {}
    app.router.add_get("/", index)
    app.router.add_static("/static", STATIC_DIR)
    app.router.add_get("/sim/personas", list_personas)
    app.router.add_post("/sim/personas", add_personas)
    app.router.add_get("/webchat/file/{file_id}", file_by_id)
