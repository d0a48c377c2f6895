"""The bot's side of the stand: ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``.

Accepts what real clients send: GET query strings, JSON bodies, url-encoded forms and
multipart forms with uploads (nested objects arrive as JSON strings in form fields).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from gridbot.sandbox import api_chats, api_commands, api_media, api_messages  # noqa: F401
from gridbot.sandbox.calls import METHODS, Call, Upload
from gridbot.sandbox.errors import SERVER_ERRORS, ApiError, bad_request, too_many_requests
from gridbot.sandbox.state import SandboxState

STATE_KEY: web.AppKey[SandboxState] = web.AppKey("sandbox_state", SandboxState)


def envelope(error: ApiError) -> web.Response:
    return web.json_response(error.to_api(), status=error.code, dumps=_dumps)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


async def read_call(request: web.Request, state: SandboxState) -> Call:
    params: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as error:
                raise bad_request("can't parse JSON object") from error
            if isinstance(body, dict):
                params.update(body)
        else:
            try:
                form = await request.post()
            except web.HTTPRequestEntityTooLarge as error:
                # Telegram answers a body over its upload limit with a JSON 413.
                raise api_media.entity_too_large() from error
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    content = value.file.read()
                    uploads[key] = Upload(value.filename, content, value.content_type)
                else:
                    params[key] = value
    return Call(state=state, params=params, uploads=uploads)


async def apply_fault(state: SandboxState, method: str) -> None:
    fault = state.take_fault(method)
    if fault is None:
        return
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.code == 429:
        raise too_many_requests(fault.retry_after or 1)
    if fault.code:
        description = fault.description or SERVER_ERRORS.get(fault.code, "Internal Server Error")
        parameters = {"retry_after": fault.retry_after} if fault.retry_after else None
        raise ApiError(fault.code, description, parameters)


async def handle_method(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    if not state.token_accepted(request.match_info["token"]):
        return envelope(ApiError(401, "Unauthorized"))
    method = request.match_info["method"]
    handler = METHODS.get(method.lower())
    if handler is None:
        return envelope(ApiError(404, "Not Found"))
    call: Call | None = None
    try:
        call = await read_call(request, state)
        await apply_fault(state, method)
        result = await handler(call)
    except ApiError as error:
        state.log_call(method, call.loggable() if call else {}, error.description, None)
        return envelope(error)
    if method.lower() != "getupdates" or result:
        # Empty long polls would drown the log; polls that bring updates are kept.
        state.log_call(method, call.loggable(), None, result)
    return web.json_response({"ok": True, "result": result}, dumps=_dumps)


async def handle_file(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    if not state.token_accepted(request.match_info["token"]):
        return envelope(ApiError(401, "Unauthorized"))
    path = request.match_info["path"]
    record = next((f for f in state.files.values() if f.file_path == path), None)
    if record is None:
        return envelope(ApiError(404, "Not Found"))
    content_type = record.mime_type or (
        "image/png" if path.endswith(".png") else "application/octet-stream"
    )
    if path.endswith(".jpg") and not record.mime_type:
        content_type = "image/jpeg"
    return web.Response(body=record.content, content_type=content_type)


def add_routes(app: web.Application) -> None:
    app.router.add_route("*", r"/bot{token}/{method}", handle_method)
    app.router.add_route("GET", r"/file/bot{token}/{path:.+}", handle_file)
