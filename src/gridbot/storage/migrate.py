"""Schema migrations, run programmatically: ``upgrade(url)``, ``downgrade(url, revision)``.

Synchronous, since Alembic is; the environment starts its own event loop, so call these
from a thread without a running loop: ``await asyncio.to_thread(upgrade, url)``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    """A config independent of the current directory, pointing at the packaged scripts."""
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["url"] = url  # not an ini option: URLs may hold '%' escapes
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]
