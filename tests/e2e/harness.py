"""Play people through the sandbox stand against the real bot, and wait for what it does.

``World`` holds one running stand, one running bot (``run_bot`` in-process) and the bot's
database. People act through the stand's HTTP person side, exactly as the web chat does;
waiting is done by watching the stand, never by sleeping blindly::

    resident = world.persona(2001)
    await resident.send("/start")
    text = await resident.private_chat().wait_for(lambda t: "你好" in t)
    group = world.group("临月里3号楼群", members=[resident])
    await resident.send("/report", chat=group)
    await world.settle()
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

from gridbot.bot.app import SystemClock
from gridbot.bot.config import Settings
from gridbot.bot.demo import DEMO_TOKEN, sqlite_url
from gridbot.bot.middlewares import UpdatesInFlight
from gridbot.bot.runner import run_bot
from gridbot.sandbox.server import SandboxServer
from gridbot.sandbox.webchat import register_personas
from gridbot.storage.database import Database
from gridbot.storage.repositories.inbox import SqlInboxRepository

Json = dict[str, Any]
QUIET_SECONDS = 0.15  # no Bot API call, no pending update or outbox row for this long
POLL_SECONDS = 0.02
SHANGHAI = ZoneInfo("Asia/Shanghai")  # the bot's zone in these tests (GRIDBOT_TZ's default)


class StandRefused(AssertionError):
    """The stand answered a person-side request with an error."""


class MovableClock(SystemClock):
    """The bot's clock in end-to-end tests: the system clock plus an offset a test may move
    forward (``world.advance``), so deadlines fall due without waiting for them. (A test
    that patches ``SystemClock.now`` still moves it too.)

    It starts at 10:00 in Shanghai on the day the test runs, whatever the hour: residents
    are not messaged in their quiet hours (21:00-08:00), and a test must not depend on the
    hour it happens to run at."""

    def __init__(self) -> None:
        self.offset = timedelta(0)
        now = super().now()
        ten = datetime.combine(now.astimezone(SHANGHAI).date(), day_time(10), SHANGHAI)
        self.offset = ten - now

    def now(self) -> datetime:
        return super().now() + self.offset


@contextlib.asynccontextmanager
async def start_world(db_file: Path, personas: Sequence[Json]) -> AsyncIterator[World]:
    """The stand on a free port and the real bot polling it, on a migrated SQLite file.

    Personas are registered for the web chat too. On exit the bot stops first (it must not
    poll a stand that is gone), then the stand, then the database.
    """
    server = SandboxServer(DEMO_TOKEN, strict_token=True)
    url = await server.start("127.0.0.1", 0)
    database = Database(sqlite_url(db_file))
    register_personas(server.app, personas)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        BOT_TOKEN=DEMO_TOKEN,
        TELEGRAM_API_BASE=url,
        DATABASE_URL=sqlite_url(db_file),
    )
    clock, in_flight = MovableClock(), UpdatesInFlight()

    def start(stop: asyncio.Event) -> asyncio.Task[None]:
        run = run_bot(settings, stop=stop, store=database, clock=clock, in_flight=in_flight)
        return asyncio.create_task(run, name="bot")

    stop = asyncio.Event()
    world = World(server, database, personas, start(stop), clock, in_flight)
    world.starter, world.stopping = start, stop
    try:
        yield world
    finally:
        world.stopping.set()
        try:
            await asyncio.wait_for(world.bot, timeout=10)
        finally:
            await world.close()
            await server.stop()
            await database.dispose()


class World:
    def __init__(
        self,
        server: SandboxServer,
        database: Database,
        personas: Sequence[Json],
        bot: asyncio.Task[None] | None = None,
        clock: MovableClock | None = None,
        in_flight: UpdatesInFlight | None = None,
    ) -> None:
        self.server = server
        self.in_flight = in_flight or UpdatesInFlight()
        self.bot = bot
        self.clock = clock or MovableClock()
        self.state = server.state
        self.database = database
        self.personas = {int(p["user_id"]): dict(p) for p in personas}
        self.http = aiohttp.ClientSession(base_url=server.url)
        self.marks: dict[int, int] = {}  # chat id -> last message id a persona caused
        self._group_ids = itertools.count(100001)
        # How start_world started the bot, and the event that stops it (``restart``).
        self.starter: Callable[[asyncio.Event], asyncio.Task[None]] | None = None
        self.stopping = asyncio.Event()

    async def close(self) -> None:
        await self.http.close()

    async def restart(self) -> None:
        """Stop the bot as SIGTERM does (the updates being handled finish), then start a new
        one on the same database, stand and clock, as a redeploy does: what was in memory
        (conversations) is gone, what was committed is not."""
        assert self.starter is not None and self.bot is not None, "not started by start_world"
        self.stopping.set()
        await asyncio.wait_for(self.bot, timeout=10)
        self.stopping = asyncio.Event()
        self.bot = self.starter(self.stopping)

    # --- people and chats ---------------------------------------------------------------
    def persona(self, user_id: int) -> Persona:
        """Someone from the demo org file (telegram ids 1001.. staff, 2001.. residents)."""
        if user_id not in self.personas:
            raise KeyError(f"no demo persona {user_id}; known: {sorted(self.personas)}")
        p = self.personas[user_id]
        return Persona(self, user_id, p["first_name"], p.get("language_code"), p.get("username"))

    def stranger(
        self,
        user_id: int = 9001,
        first_name: str = "访客",
        *,
        language_code: str | None = "zh-hans",
        username: str | None = None,
    ) -> Persona:
        """Someone the bot's database does not know."""
        return Persona(self, user_id, first_name, language_code, username)

    def group(
        self,
        title: str,
        members: Sequence[Persona] = (),
        *,
        chat_id: int | None = None,
        chat_type: str = "group",
        bot: bool = True,
    ) -> Group:
        """A group that already exists, with the bot (unless ``bot=False``) and ``members``.

        Made directly in the stand's world: the bot gets no join updates for it. Use
        ``persona.join(group)`` to play a join the bot should see.
        """
        chat_id = chat_id or -next(self._group_ids)
        chat = self.state.ensure_group(chat_id, chat_type, title, "member" if bot else "left")
        for index, member in enumerate(members):
            self.state.ensure_user(
                member.user_id, first_name=member.first_name, language_code=member.language_code
            )
            chat.members[member.user_id] = "creator" if index == 0 else "member"
        return Group(self, chat_id, title)

    def chat(self, chat_id: int) -> ChatView:
        return ChatView(self, chat_id)

    # --- the stand ----------------------------------------------------------------------
    async def post(self, path: str, body: Json) -> Json:
        async with self.http.post(path, json=body) as response:
            data: Json = await response.json()
        if response.status != 200 or not data.get("ok", True):
            raise StandRefused(f"{path} {body}: {response.status} {data.get('error')}")
        return data

    async def get(self, path: str, **params: Any) -> Any:
        async with self.http.get(path, params=params) as response:
            if response.status == 404:
                return None
            if response.content_type == "application/json":
                return await response.json()
            return await response.text()

    async def outbox(self, method: str = "", since: int = 0) -> list[Json]:
        """The Bot API calls the bot made (optionally of some methods, after seq ``since``)."""
        return list(await self.get("/sim/outbox", method=method, since=since))

    async def settle(self, timeout: float = 5.0, quiet: float = QUIET_SECONDS) -> None:  # noqa: ASYNC109
        """Return once the bot has taken and handled every update, the outbox holds nothing
        due, and no Bot API call has been made for ``quiet`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        calls, quiet_since = -1, loop.time()
        while True:
            self.check_bot()
            busy = len(self.state.updates) > 0 or self.in_flight.count > 0 or await self._work_due()
            if busy or len(self.state.calls) != calls:
                calls, quiet_since = len(self.state.calls), loop.time()
            elif loop.time() - quiet_since >= quiet:
                return
            if loop.time() > deadline:
                raise AssertionError(
                    f"the bot did not settle in {timeout}s: "
                    f"{len(self.state.updates)} updates pending, outbox due: {busy}"
                )
            await asyncio.sleep(POLL_SECONDS)

    def check_bot(self) -> None:
        """Fail at once when the bot has stopped, instead of waiting for a timeout."""
        if self.bot is not None and self.bot.done():
            error = None if self.bot.cancelled() else self.bot.exception()
            raise AssertionError(f"the bot stopped: {error!r}") from error

    def advance(self, delta: timedelta) -> None:
        """Move the bot's clock forward: the due scheduler's next tick (each second) sees it."""
        self.clock.offset += delta

    async def _work_due(self) -> bool:
        """Updates recorded in the inbox (so confirmed to the stand) but not yet handled, or
        outbox messages due."""
        async with self.database.reader() as uow:
            if await SqlInboxRepository(uow.session).pending():
                return True
            return bool(await uow.outbox.pending(self.clock.now(), 1))


class ChatView:
    """What one chat shows; ``wait_for`` watches it for the bot's answer."""

    def __init__(self, world: World, chat_id: int) -> None:
        self.world = world
        self.chat_id = chat_id

    def __repr__(self) -> str:
        return f"<chat {self.chat_id}>"

    async def messages(self) -> list[Json]:
        return list(await self.world.get(f"/sim/chat/{self.chat_id}") or [])

    async def bot_messages(self) -> list[Json]:
        return [m for m in await self.messages() if m.get("from_bot")]

    async def last_message(self) -> Json | None:
        """The bot's latest message here, or None."""
        found = await self.bot_messages()
        return found[-1] if found else None

    async def last_text(self) -> str:
        """The text (or caption) of the bot's latest message here; "" when it said nothing."""
        return text_of(await self.last_message() or {})

    async def buttons(self) -> list[str]:
        """Inline button labels of the bot's latest message here, row by row."""
        message = await self.last_message() or {}
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return [button["text"] for row in rows for button in row]

    async def reply_keyboard(self) -> list[list[str]]:
        state = await self.world.get("/sim/state")
        chat = next((c for c in state["chats"] if c["id"] == self.chat_id), None)
        return list((chat or {}).get("reply_keyboard") or [])

    async def transcript(self) -> str:
        """``[id] who: text`` lines, keyboards below, as the stand prints them."""
        return str(await self.world.get(f"/sim/chat/{self.chat_id}", format="text") or "")

    async def wait_for(
        self,
        predicate: Callable[[str], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        since: int | None = None,
    ) -> str:
        """The first bot message (text or caption) after ``since`` that satisfies
        ``predicate``; ``since`` defaults to what a persona last did in this chat."""
        since = self.world.marks.get(self.chat_id, 0) if since is None else since
        deadline = time.monotonic() + timeout
        while True:
            self.world.check_bot()
            for message in await self.bot_messages():
                if message["message_id"] > since and predicate(text_of(message)):
                    return text_of(message)
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no bot message after #{since} matched in {timeout}s; chat {self.chat_id}:\n"
                    + await self.transcript()
                )
            await asyncio.sleep(POLL_SECONDS * 2)


class Group(ChatView):
    def __init__(self, world: World, chat_id: int, title: str) -> None:
        super().__init__(world, chat_id)
        self.title = title

    def __repr__(self) -> str:
        return f"<group {self.title} {self.chat_id}>"


class Persona:
    """One person; acts in their private chat unless told ``chat=`` (which then sticks)."""

    def __init__(
        self,
        world: World,
        user_id: int,
        first_name: str,
        language_code: str | None,
        username: str | None = None,
    ) -> None:
        self.world = world
        self.user_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username
        self.chat: ChatView = self.private_chat()

    def __repr__(self) -> str:
        return f"<persona {self.first_name} {self.user_id}>"

    def private_chat(self) -> ChatView:
        return self.world.chat(self.user_id)

    def _body(self, chat: ChatView | None, **fields: Any) -> Json:
        if chat is not None:
            self.chat = chat
        body: Json = {"user_id": self.user_id, "first_name": self.first_name, **fields}
        if self.language_code:
            body["language_code"] = self.language_code
        if self.username:
            body["username"] = self.username
        if self.chat.chat_id != self.user_id:
            body["chat_id"] = self.chat.chat_id
        return body

    async def _post(self, path: str, body: Json) -> Json:
        result = await self.world.post(path, body)
        if "message_id" in result:
            self.world.marks[self.chat.chat_id] = int(result["message_id"])
        return result

    async def send(
        self, text: str, *, chat: ChatView | None = None, reply_to: int | None = None
    ) -> int:
        """Send a text message; returns its message_id."""
        body = self._body(chat, text=text)
        if reply_to is not None:
            body["reply_to_message_id"] = reply_to
        return int((await self._post("/sim/message", body))["message_id"])

    async def photo(
        self,
        caption: str | None = None,
        *,
        chat: ChatView | None = None,
        content: bytes | None = None,
    ) -> int:
        """A photo (a small generated picture unless ``content`` is given)."""
        body = self._body(chat)
        if caption is not None:
            body["caption"] = caption
        if content is not None:
            body["content_base64"] = base64.b64encode(content).decode()
        return int((await self._post("/sim/photo", body))["message_id"])

    async def location(
        self, latitude: float, longitude: float, *, chat: ChatView | None = None
    ) -> int:
        body = self._body(chat, latitude=latitude, longitude=longitude)
        return int((await self._post("/sim/location", body))["message_id"])

    async def sticker(self, emoji: str = "👍", *, chat: ChatView | None = None) -> int:
        return int((await self._post("/sim/sticker", self._body(chat, emoji=emoji)))["message_id"])

    async def tap(
        self,
        label: str,
        *,
        chat: ChatView | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
        oldest: bool = False,
    ) -> Json:
        """Tap the button ``label`` on the bot's latest message that has it (``oldest``: the
        first one, a stale button), waiting for one."""
        body = self._body(chat, label=label)
        message = await self._message_with_button(label, timeout, oldest)
        body["message_id"] = message["message_id"]
        result = await self.world.post("/sim/callback", body)
        # An answer to a tap is often an edit of the tapped message: count it as new.
        self.world.marks[self.chat.chat_id] = int(message["message_id"]) - 1
        return result

    async def _message_with_button(
        self,
        label: str,
        timeout: float,  # noqa: ASYNC109
        oldest: bool = False,
    ) -> Json:
        deadline = time.monotonic() + timeout
        while True:
            messages = await self.chat.bot_messages()
            for message in messages if oldest else reversed(messages):
                rows = message.get("reply_markup", {}).get("inline_keyboard", [])
                if any(button.get("text") == label for row in rows for button in row):
                    return message
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no bot message with the button {label!r} in {self.chat}:\n"
                    + await self.chat.transcript()
                )
            await asyncio.sleep(POLL_SECONDS * 2)

    async def join(self, group: Group) -> None:
        """Join ``group`` as the bot sees it (a service message and a chat_member update)."""
        await self.world.post(
            "/sim/join",
            {"chat_id": group.chat_id, "user_id": self.user_id, "first_name": self.first_name},
        )

    async def leave(self, group: Group) -> None:
        await self.world.post("/sim/leave", {"chat_id": group.chat_id, "user_id": self.user_id})

    async def block(self, blocked: bool = True) -> None:
        await self.world.post("/sim/block", {"user_id": self.user_id, "blocked": blocked})


def text_of(message: Json) -> str:
    return str(message.get("text") or message.get("caption") or "")
