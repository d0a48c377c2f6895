"""The `gridbot` command line (README.md, "Running it for real", lists its commands).

Each sub-command imports its implementation lazily, so `gridbot org show` does not pay for
aiogram and the web stand.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from gridbot.bot.problems import StartupProblem, tell

# sub-command -> "module:function"; each function takes the parsed args and returns an exit code
COMMANDS: dict[str, str] = {
    "demo": "gridbot.bot.demo:main",
    "run": "gridbot.bot.runner:run_polling_command",
    "webhook": "gridbot.bot.runner:run_webhook_command",
    "sandbox": "gridbot.bot.cli_sandbox:main",
    "db upgrade": "gridbot.bot.cli_db:upgrade_command",
    "db backup": "gridbot.bot.cli_db:backup_command",
    "org import": "gridbot.bot.cli_org:import_command",
    "org show": "gridbot.bot.cli_org:show_command",
    "org link": "gridbot.bot.cli_org:link_command",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridbot", description="gridbot: 网格化管理 bot")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="stand + demo data + bot, with a web chat")
    demo.add_argument(
        "--port", type=int, default=8080, help="where the stand and its web chat listen (8080)"
    )
    demo.add_argument("--db", default="gridbot-demo.db", help="SQLite file for the demo")
    demo.add_argument("--no-browser", action="store_true", help="only print the web chat's address")
    demo.set_defaults(handler="demo")

    for name, summary in (
        ("run", "the bot on long polling"),
        ("webhook", "the bot as a webhook server"),
    ):
        command = commands.add_parser(name, help=summary, description=summary, add_help=False)
        command.add_argument("-h", "--help", action=SettingsHelp)
        command.set_defaults(handler=name)

    sandbox = commands.add_parser("sandbox", help="the local Bot API stand alone")
    sandbox.add_argument("--port", type=int, default=8080, help="where the stand listens (8080)")
    sandbox.set_defaults(handler="sandbox")

    db = command_group(commands, "db", "database")
    db.add_parser("upgrade", help="run migrations to head").set_defaults(handler="db upgrade")
    backup = db.add_parser(
        "backup", help="a consistent copy of the live SQLite database (PostgreSQL: pg_dump)"
    )
    backup.add_argument("file", help="where the copy goes (a new file)")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    backup.set_defaults(handler="db backup")

    org = command_group(commands, "org", "the organisation tree")
    org_import = org.add_parser("import", help="load or update the org from a YAML file")
    org_import.add_argument("file", help="the org file (docs/org-file.md)")
    org_import.set_defaults(handler="org import")
    org_show = org.add_parser("show", help="the tree, with people and roles")
    org_show.add_argument("code", nargs="?", help="only this unit and those under it")
    org_show.set_defaults(handler="org show")
    org_link = org.add_parser("link", help="deep links to join a unit or bind a group")
    org_link.add_argument("code", help="the unit's code")
    org_link.set_defaults(handler="org link")
    return parser


def command_group(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """``gridbot NAME SUBCOMMAND``; ``gridbot NAME`` alone prints the sub-commands (exit 2)."""
    group = commands.add_parser(name, help=summary, description=summary)
    group.set_defaults(handler=name, group=group)
    return group.add_subparsers(dest=f"{name}_command", metavar="COMMAND")


class SettingsHelp(argparse.Action):
    """``-h`` of a command that reads settings: the usual help, then the settings (made
    from the Settings model only when asked, so other commands do not load it)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show this help"
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from gridbot.bot.settings_help import settings_help

        parser.epilog = settings_help(parser.prog.split()[-1])
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.print_help()
        parser.exit()


def resolve(name: str) -> Callable[[argparse.Namespace], int]:
    module_name, _, function = COMMANDS[name].partition(":")
    handler: Callable[[argparse.Namespace], int] = getattr(
        importlib.import_module(module_name), function
    )
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.handler not in COMMANDS:  # a group alone: `gridbot db`
        args.group.print_help(sys.stderr)
        return 2
    try:
        return resolve(args.handler)(args)
    except StartupProblem as problem:  # bad settings, an unreachable database: no traceback
        return tell(problem)


if __name__ == "__main__":
    sys.exit(main())
