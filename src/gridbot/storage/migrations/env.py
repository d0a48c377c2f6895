"""Alembic environment: async engines, batch mode on SQLite (ALTER TABLE is limited there)."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

import gridbot.storage.rows  # noqa: F401  (registers every table on the metadata)
from gridbot.storage.base import Base
from gridbot.storage.engine import create_engine

DEFAULT_URL = "sqlite+aiosqlite:///gridbot.db"


def database_url() -> str:
    config = context.config
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    return str(url or os.environ.get("DATABASE_URL") or DEFAULT_URL)


def configure(**options: object) -> None:
    context.configure(
        target_metadata=Base.metadata,
        compare_type=True,
        **options,  # type: ignore[arg-type]
    )


def run_migrations(connection: Connection) -> None:
    configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    # Batch mode on SQLite copies and drops tables, which foreign keys would veto.
    engine = create_engine(database_url(), foreign_keys=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await engine.dispose()


def run_migrations_offline() -> None:
    url = database_url()
    configure(url=url, literal_binds=True, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
