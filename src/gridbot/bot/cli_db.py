"""`gridbot db upgrade`: bring the database of DATABASE_URL to the latest schema."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import make_url

from gridbot.bot.config import Settings
from gridbot.storage.migrate import revisions, upgrade


def upgrade_command(args: argparse.Namespace) -> int:
    url = Settings().database_url
    upgrade(url)
    shown = make_url(url).render_as_string(hide_password=True)
    print(f"database {shown} is at schema revision {revisions()[-1]} (head)")
    return 0
