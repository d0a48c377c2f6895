"""Bulk writing of the synthetic district, one transaction per batch: on SQLite Core
``insert()`` with executemany, on PostgreSQL asyncpg's COPY.

Rows carry their own ids where other rows point at them (units, categories, people, cases,
care persons); PostgreSQL's sequences are moved past them at the end. SQLite loads with
``synchronous = OFF`` and without foreign-key checks (the smoke test runs
``PRAGMA foreign_key_check`` over the result); PostgreSQL checks every foreign key as usual.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Table, event, func, insert, select, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from gridbot.storage.repositories.base import table_of
from gridbot.storage.rows import (
    CarePersonRow,
    CaseRow,
    CaseSequenceRow,
    CategoryRow,
    OrgRevisionRow,
    OrgUnitRow,
    PersonRow,
)

_PG = postgresql.asyncpg.dialect()
# Tables whose rows come with their ids: PostgreSQL's serial sequences must follow them.
OWN_IDS = (OrgUnitRow, CategoryRow, PersonRow, CaseRow, CarePersonRow)


class Loader:
    """``await loader.write([(table, rows), ...])`` writes one batch in one transaction."""

    def __init__(self, url: str) -> None:
        self.backend = make_url(url).get_backend_name()
        self.engine: AsyncEngine = create_async_engine(url, poolclass=NullPool)
        self.rows = 0
        if self.backend == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _fast_sqlite)

    async def write(self, batch: Sequence[tuple[Table, list[dict[str, Any]]]]) -> None:
        if self.backend == "postgresql":
            await self._copy(batch)
            return
        async with self.engine.begin() as connection:
            for table, rows in batch:
                if rows:
                    await connection.execute(insert(table), rows)
                    self.rows += len(rows)

    async def _copy(self, batch: Sequence[tuple[Table, list[dict[str, Any]]]]) -> None:
        """PostgreSQL: asyncpg's COPY (binary), in one transaction of the driver's own;
        three times faster than an executemany of INSERTs. COPY takes the values as they
        are (no SQLAlchemy type on the way): the rows' times are aware UTC datetimes, as
        ``UTCDateTime`` would bind them, and JSON goes as text."""
        async with self.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            async with driver.transaction():
                for table, rows in batch:
                    if rows:
                        columns, records = _records(table, rows)
                        await driver.copy_records_to_table(
                            table.name, records=records, columns=columns
                        )
                        self.rows += len(rows)

    async def is_empty(self) -> bool:
        async with self.engine.connect() as connection:
            units = await connection.scalar(select(func.count()).select_from(table_of(OrgUnitRow)))
        return not units

    async def finish(self, numbers: dict[int, int], *, analyze: bool) -> None:
        """The case numbering per year, the org revision (processes holding the org in
        memory read it again), PostgreSQL's sequences; then the planner statistics a
        running database would have (see ``analyze``)."""
        async with self.engine.begin() as connection:
            await connection.execute(
                insert(table_of(CaseSequenceRow)),
                [{"year": year, "last": last} for year, last in sorted(numbers.items())],
            )
            await connection.execute(
                update(table_of(OrgRevisionRow))
                .where(OrgRevisionRow.id == 1)
                .values(revision=OrgRevisionRow.revision + 1)
            )
            if self.backend == "postgresql":
                for row in OWN_IDS:
                    name = table_of(row).name
                    await connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"(SELECT max(id) FROM {name}))"
                        )
                    )
        if analyze or self.backend == "postgresql":
            await self.analyze()

    async def analyze(self) -> None:
        """PostgreSQL: VACUUM ANALYZE, what autovacuum does by itself after a bulk load
        (statistics, and the visibility map that index-only scans need). SQLite: ANALYZE,
        which gridbot never runs by itself: only on request (``--analyze``)."""
        if self.backend == "postgresql":
            async with self.engine.connect() as connection:
                autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.exec_driver_sql("VACUUM ANALYZE")
        else:
            async with self.engine.begin() as connection:
                await connection.exec_driver_sql("ANALYZE")

    async def dispose(self) -> None:
        await self.engine.dispose()


def _records(table: Table, rows: list[dict[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The rows as COPY takes them: tuples in column order, JSON columns as JSON text
    (asyncpg's codec for jsonb takes text)."""
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type.dialect_impl(_PG), JSON)}
    encode = [name in json_columns for name in columns]
    records = [
        tuple(
            json.dumps(row[name], ensure_ascii=False) if as_json else row[name]
            for name, as_json in zip(columns, encode, strict=True)
        )
        for row in rows
    ]
    return columns, records


def _fast_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous = OFF")
    cursor.execute("PRAGMA foreign_keys = OFF")
    cursor.execute("PRAGMA cache_size = -262144")  # 256 MB
    cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.close()
