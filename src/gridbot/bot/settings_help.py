"""The settings a command reads, for its ``--help``: made from the ``Settings`` model's
fields, so the list never drifts from what is read."""

from __future__ import annotations

from pydantic import SecretStr

from gridbot.bot.config import Settings

WEBHOOK_ONLY = ("WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN")
NOT_READ_BY_THE_BOT = ("BOT_USERNAME",)  # the org commands' (the bot asks getMe)
# What each command needs beyond the defaults.
REQUIRED = {"run": ("BOT_TOKEN",), "webhook": ("BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET")}


def settings_help(command: str) -> str:
    """Two groups, required and optional with their defaults, one variable a line."""
    required = REQUIRED.get(command, ())
    defaults = {
        str(field.validation_alias): _shown(field.default)
        for field in Settings.model_fields.values()
        if str(field.validation_alias) not in NOT_READ_BY_THE_BOT
    }
    if command != "webhook":
        defaults = {name: value for name, value in defaults.items() if name not in WEBHOOK_ONLY}
    width = max(map(len, defaults)) + 2
    lines = ["settings (environment or .env; README.md says what each means):", "  required:"]
    lines += [f"    {name}" for name in required]
    lines.append("  optional (default):")
    lines += [
        f"    {name.ljust(width)}{value}"
        for name, value in defaults.items()
        if name not in required
    ]
    return "\n".join(lines)


def _shown(default: object) -> str:
    if default is None:
        return "(not set)"
    if isinstance(default, SecretStr):
        return "(secret)"
    return str(default) if str(default) else '""'
