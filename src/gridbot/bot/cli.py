"""The `gridbot` command line (DESIGN.md "Interfaces").

Each sub-command imports its implementation lazily, so `gridbot org show` does not pay for
aiogram and the web stand.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

# sub-command -> "module:function"; each function takes the parsed args and returns an exit code
COMMANDS: dict[str, str] = {
    "demo": "gridbot.bot.demo:main",
    "run": "gridbot.bot.runner:run_polling_command",
    "webhook": "gridbot.bot.runner:run_webhook_command",
    "sandbox": "gridbot.sandbox.server:main",
    "db upgrade": "gridbot.bot.cli_db:upgrade_command",
    "org import": "gridbot.bot.cli_org:import_command",
    "org show": "gridbot.bot.cli_org:show_command",
    "org link": "gridbot.bot.cli_org:link_command",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridbot", description="gridbot: 网格化管理 bot")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="stand + demo data + bot, with a web chat")
    demo.add_argument("--port", type=int, default=8080)
    demo.add_argument("--db", default="gridbot-demo.db", help="SQLite file for the demo")
    demo.add_argument("--no-browser", action="store_true")
    demo.set_defaults(handler="demo")

    commands.add_parser("run", help="the bot on long polling").set_defaults(handler="run")
    commands.add_parser("webhook", help="the bot as a webhook server").set_defaults(
        handler="webhook"
    )

    sandbox = commands.add_parser("sandbox", help="the local Bot API stand alone")
    sandbox.add_argument("--port", type=int, default=8080)
    sandbox.set_defaults(handler="sandbox")

    db = commands.add_parser("db", help="database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="run migrations to head").set_defaults(handler="db upgrade")

    org = commands.add_parser("org", help="the organisation tree").add_subparsers(
        dest="org_command", required=True
    )
    org_import = org.add_parser("import", help="load or update the org from a YAML file")
    org_import.add_argument("file")
    org_import.set_defaults(handler="org import")
    org_show = org.add_parser("show", help="the tree, with people and roles")
    org_show.add_argument("code", nargs="?")
    org_show.set_defaults(handler="org show")
    org_link = org.add_parser("link", help="deep links to join a unit or bind a group")
    org_link.add_argument("code")
    org_link.set_defaults(handler="org link")
    return parser


def resolve(name: str) -> Callable[[argparse.Namespace], int]:
    module_name, _, function = COMMANDS[name].partition(":")
    handler: Callable[[argparse.Namespace], int] = getattr(
        importlib.import_module(module_name), function
    )
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return resolve(args.handler)(args)


if __name__ == "__main__":
    sys.exit(main())
