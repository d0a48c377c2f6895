"""`gridbot sandbox`: the stand alone, with the bot's settings read as the bot reads them.

The stand itself knows nothing of the bot; the one setting it shows is the bot's time zone
(the web chat's message times), read here from the environment or `.env` and checked like
every setting: a bad one is one line naming it, exit 2, before anything starts.
"""

from __future__ import annotations

import argparse

from gridbot.bot.startup import load_settings


def main(args: argparse.Namespace) -> int:
    settings = load_settings()
    from gridbot.sandbox.server import main as serve  # the web stand only when it runs

    return serve(argparse.Namespace(**{**vars(args), "tz_name": settings.tz_name}))
