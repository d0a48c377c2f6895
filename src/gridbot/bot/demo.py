"""`gridbot demo`: the sandbox stand, the demo organisation and the bot, in one process.

The stand and its web chat listen on 127.0.0.1:--port; the bot polls the stand with a fixed
demo token and keeps its data in a local SQLite file (--db), so cases survive a restart and
running the demo twice is fine (the org import is idempotent). The stand's transcript (its
chats and messages) is written next to the database (``<db>.stand.json``) when the demo
stops and read back when it starts on the same database, so the web chat shows the earlier
conversations with the cases; when it cannot be read, the page says the transcript was
reset. Ctrl-C or SIGTERM stops the bot, the stand and the database, in that order, and the
process exits 0.

The pieces (``demo_personas``, ``furnish_stand``, ``prepare_database``) are reused by the
end-to-end and browser tests, so they play exactly the world the demo shows.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import webbrowser
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from gridbot.bot.app import build_context
from gridbot.bot.cli_org import new_token
from gridbot.bot.config import Settings
from gridbot.bot.orgfile import OrgFileError, read_org_file
from gridbot.bot.startup import load_settings, migrate
from gridbot.sandbox.server import SandboxServer
from gridbot.sandbox.snapshot import load_state, save_state
from gridbot.sandbox.webchat import (
    register_guide,
    register_personas,
    set_time_zone,
    set_transcript_status,
)
from gridbot.services.orgimport import ImportOrg, OrgSpec, import_org
from gridbot.storage.database import Database
from gridbot.storage.repositories.inbox import SqlInboxRepository

DEMO_TOKEN = "1000000001:DEMO"
ORG_FILE = Path(__file__).resolve().parents[3] / "examples" / "demo-org.yaml"
STRANGER = {"user_id": 9001, "first_name": "访客", "label": "未登记 Stranger"}
ROLE_NAMES = {
    "resident": "居民",
    "grid_worker": "网格员",
    "grid_leader": "网格长",
    "branch_secretary": "支部书记",
    "grid_guide": "网格指导员",
    "service_specialist": "群众服务专员",
    "building_leader": "楼长",
    "party_member": "党员",
    "community_staff": "社区工作人员",
    "dispatcher": "调度员",
    "department_liaison": "职能部门联络员",
    "supervisor": "督查",
    "admin": "管理员",
}


@dataclass(frozen=True)
class DemoGroup:
    chat_id: int
    title: str
    creator: int  # adds the bot, then binds the group with ``bind`` as a person would
    members: tuple[int, ...]
    bind: str


DEMO_GROUPS = (
    DemoGroup(-100301, "临月里3号楼群", 1016, (2001, 1001, 1002), bind="/bind DL-WX-LY-01-B03"),
    DemoGroup(
        -100101, "临月里第一网格工作群", 1002, (1001, 1013, 1015, 1009), "/bind DL-WX-LY-01 worker"
    ),
)


# What to try as whom: the page shows it until dismissed (Chinese first, English below).
DEMO_GUIDE = (
    {
        "user_id": 2001,
        "zh": "李桂兰（居民）：发送 /report 反映问题，可附照片和位置。",
        "en": "Li Guilan (resident): send /report to report a problem, with a photo and a place.",
    },
    {
        "user_id": 1001,
        "zh": "张伟（网格员）：接收新案件，点按钮受理、处理、办结。",
        "en": "Zhang Wei (grid worker): gets the new case; accept, handle and close it.",
    },
    {
        "user_id": 1022,
        "zh": "宋涛（督查）：用 /stats、/rank 查看数字。",
        "en": "Song Tao (supervisor): look at the numbers with /stats and /rank.",
    },
)


def find_org_file() -> Path:
    candidates = (ORG_FILE, Path.cwd() / "examples" / "demo-org.yaml")
    return next((path for path in candidates if path.exists()), ORG_FILE)


def load_demo_spec(path: Path | None = None) -> OrgSpec:
    return read_org_file(path or find_org_file()).to_spec()


def sqlite_url(db_file: str | Path) -> str:
    return f"sqlite+aiosqlite:///{Path(db_file).resolve()}"


async def prepare_database(url: str, spec: OrgSpec) -> Database:
    """Migrate to head and import the org (idempotent); the caller disposes the Database."""
    await asyncio.to_thread(migrate, url, setting="--db")
    database = Database(url)
    try:
        ctx = build_context(Settings(_env_file=None), database)  # type: ignore[call-arg]
        await import_org(ImportOrg(spec, new_token), ctx)
    except BaseException:
        await database.dispose()
        raise
    return database


def demo_personas(spec: OrgSpec) -> list[dict[str, Any]]:
    """Everyone with a telegram_id, labelled with their roles in Chinese, plus a stranger."""
    unit_names = {unit.code: unit.name for unit in spec.units}
    personas: list[dict[str, Any]] = []
    for entry in spec.people:
        person = entry.person
        if person.telegram_id is None:
            continue
        roles = [
            f"{ROLE_NAMES.get(r.role, r.role)} · {unit_names[r.unit_code]}" for r in entry.roles
        ]
        personas.append(
            {
                "user_id": person.telegram_id,
                "first_name": person.name,
                "language_code": "en" if person.language == "en" else "zh-hans",
                "label": "；".join(roles) or "居民",
            }
        )
    personas.sort(key=lambda p: (p["user_id"] < 2000, p["user_id"]))  # residents first
    return [*personas, {**STRANGER, "language_code": "zh-hans"}]


async def furnish_stand(
    server: SandboxServer,
    personas: list[dict[str, Any]],
    bound: Collection[int] = (),
) -> None:
    """Personas for the web chat, and the demo groups with the bot and their members.

    Only what the stand lacks is played: a group the stand already has with the bot in it
    (a transcript read back) is left alone, and a group the database has bound already but
    the stand lacks (``bound``: its transcript was reset) is put back silently. Adding the
    bot and the members to a bound group again would make the bot welcome them again."""
    register_personas(server.app, personas)
    register_guide(server.app, DEMO_GUIDE)
    by_id = {p["user_id"]: p for p in personas}
    bot_id = server.state.bot.id
    async with aiohttp.ClientSession(base_url=server.url) as http:
        # The people of the org file use the bot already (staff accepted their invites), so
        # it may write to them first; the stranger has never opened it.
        for persona in personas:
            if persona["user_id"] != STRANGER["user_id"]:
                await _sim(http, "/sim/users", {**persona, "started": True})
        for group in DEMO_GROUPS:
            chat = server.state.chats.get(group.chat_id)
            if chat is not None and chat.bot_status in ("member", "administrator"):
                continue  # the stand has it from an earlier run
            if chat is None and group.chat_id in bound:
                _place_quietly(server, group)
                continue
            # The members were there before the bot, as a building's group is before it is
            # bound. Joins the bot saw next to the /bind would be handled side by side with
            # it (they are other people's updates), and welcome the members or not by turns.
            _place_quietly(server, group, bot_status="left")
            where = {"chat_id": group.chat_id, "chat_type": "group", "chat_title": group.title}
            await _sim(
                http, "/sim/join", {**where, "user_id": bot_id, "from_user_id": group.creator}
            )
            creator = {k: by_id[group.creator][k] for k in ("first_name", "language_code")}
            bind = {**where, **creator, "user_id": group.creator, "text": group.bind}
            await _sim(http, "/sim/message", bind)


def _place_quietly(server: SandboxServer, group: DemoGroup, bot_status: str = "member") -> None:
    """The group and its members, without telling the bot: it knows the group already, or
    (``bot_status="left"``) is not in it yet."""
    chat = server.state.ensure_group(group.chat_id, "group", group.title, bot_status)
    chat.members[group.creator] = "creator"
    for member in group.members:
        chat.members[member] = "member"


async def bound_groups(database: Database) -> set[int]:
    """The demo groups the database has bound (by an earlier run)."""
    bound = set()
    async with database.reader() as uow:
        for group in DEMO_GROUPS:
            binding = await uow.bindings.get(group.chat_id)
            if binding is not None and binding.active:
                bound.add(group.chat_id)
    return bound


def stand_file_of(db_file: Path) -> Path:
    """Where the demo keeps the stand's transcript: next to its database."""
    return db_file.with_name(db_file.name + ".stand.json")


async def _sim(http: aiohttp.ClientSession, path: str, body: dict[str, Any]) -> None:
    async with http.post(path, json=body) as response:
        if response.status != 200:
            raise RuntimeError(f"{path} refused {body}: {await response.text()}")


def demo_settings(stand_url: str, database_url: str) -> Settings:
    """The environment (and .env) still sets the time zone and locale; these three are fixed.
    Residents' quiet hours are off unless the environment sets them: whoever tries the demo
    at night sees every answer at once."""
    return load_settings(
        BOT_TOKEN=DEMO_TOKEN,
        TELEGRAM_API_BASE=stand_url,
        DATABASE_URL=database_url,
        GRIDBOT_QUIET_HOURS=os.environ.get("GRIDBOT_QUIET_HOURS", "off"),
    )


def open_browser(url: str) -> None:
    """Only where a desktop can show it: without one, webbrowser would start a text browser."""
    on_desktop = sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY")
    )
    if on_desktop:
        with contextlib.suppress(Exception):
            webbrowser.open(url)


async def run_demo(port: int, db_file: Path, browser: bool, stop: asyncio.Event) -> int:
    from gridbot.bot.runner import run_bot  # the bot stack is only needed once data is ready

    spec = load_demo_spec()
    server = SandboxServer(DEMO_TOKEN, strict_token=True)
    try:
        url = await server.start("127.0.0.1", port)
    except OSError as error:
        print(f"gridbot demo: cannot listen on 127.0.0.1:{port}: {error}", file=sys.stderr)
        return 1
    database: Database | None = None
    stand_file = stand_file_of(db_file)
    reused = await asyncio.to_thread(db_file.exists)
    try:
        settings = demo_settings(url, sqlite_url(db_file))
        set_time_zone(server.app, settings.tz_name)
        database = await prepare_database(sqlite_url(db_file), spec)
        async with database.reader() as uow:
            seen = await SqlInboxRepository(uow.session).last_update_id()
        if seen is not None:  # a database of an earlier run: go on numbering after it
            server.state.updates.continue_after(seen)
        if reused:
            restored = load_state(server.state, stand_file)
            set_transcript_status(server.app, "restored" if restored else "reset")
            if not restored:
                print(f"对话记录已重置 / The chats were reset: no transcript in {stand_file}")
        await furnish_stand(server, demo_personas(spec), await bound_groups(database))
        bot = asyncio.create_task(run_bot(settings, stop=stop, store=database))
        print(f"网页聊天 / Web chat: {url}/", flush=True)
        print(f"数据 / Data: {db_file} · Ctrl-C 停止 / to stop", flush=True)
        if browser:
            await asyncio.to_thread(open_browser, f"{url}/")
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({bot, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        stop.set()
        await bot
        return 0
    finally:
        stop.set()
        await server.stop()
        if database is not None:
            keep_transcript(server, stand_file)
            await database.dispose()


def keep_transcript(server: SandboxServer, stand_file: Path) -> None:
    try:
        save_state(server.state, stand_file)
    except OSError as error:
        print(f"gridbot demo: could not keep the chats in {stand_file}: {error}", file=sys.stderr)


def main(args: argparse.Namespace) -> int:
    """``gridbot demo [--port 8080] [--db FILE] [--no-browser]``."""
    from gridbot.bot.runner import run_until_signalled

    db_file = Path(args.db).resolve()
    demo_settings(f"http://127.0.0.1:{args.port}", sqlite_url(db_file))  # bad ones: told now

    async def demo(stop: asyncio.Event) -> int:
        try:
            return await run_demo(args.port, db_file, not args.no_browser, stop)
        except OrgFileError as error:
            print("\n".join(["gridbot demo: the demo org file is invalid:", *error.problems]))
            return 1

    return run_until_signalled(demo)
