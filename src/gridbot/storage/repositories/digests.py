"""Public digests (向群众汇报): the record of each publication, the residents' groups a
unit's digest goes to, and a few resolved public cases to name as examples. Recording is
one INSERT that does nothing when the same digest was recorded already, so of two taps on
one preview (or two runs of one schedule) only one publishes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.dialects import postgresql, sqlite

from gridbot.domain.binding import BindingKind, ChatBinding
from gridbot.domain.digests import DigestRecord
from gridbot.domain.metrics import CASE_KINDS
from gridbot.storage.repositories.base import SqlRepository
from gridbot.storage.rows import CaseRow, ChatBindingRow, DigestRow, OrgUnitRow

UNIQUE_KEY = ("unit_id", "period_label", "prepared_at")
_KINDS = [str(kind) for kind in CASE_KINDS]


def _with_unit_code() -> Select[DigestRow, str]:
    return select(DigestRow, OrgUnitRow.code).join(OrgUnitRow, DigestRow.unit_id == OrgUnitRow.id)


class SqlDigestRepository(SqlRepository):
    async def add(self, record: DigestRecord) -> DigestRecord | None:
        """Record a publication; None (and nothing written) when this unit's digest of this
        period and ``prepared_at`` was recorded already."""
        insert = postgresql.insert if self._backend == "postgresql" else sqlite.insert
        added: DigestRow | None = await self._session.scalar(
            insert(DigestRow)
            .values(
                unit_id=await self._unit_id(record.unit_code),
                period_label=record.period_label,
                period_start=record.period_start,
                period_end=record.period_end,
                source=str(record.source),
                prepared_at=record.prepared_at,
                published_by=record.published_by,
                published_at=record.published_at,
                groups=record.groups,
                text=record.text,
            )
            .on_conflict_do_nothing(index_elements=UNIQUE_KEY)
            .returning(DigestRow)
        )
        return None if added is None else added.to_domain(record.unit_code)

    async def find(
        self, unit_code: str, period_label: str, prepared_at: datetime
    ) -> DigestRecord | None:
        found = (
            await self._session.execute(
                _with_unit_code().where(
                    OrgUnitRow.code == unit_code,
                    DigestRow.period_label == period_label,
                    DigestRow.prepared_at == prepared_at,
                )
            )
        ).first()
        return None if found is None else found[0].to_domain(found[1])

    async def latest(self, unit_code: str, period_label: str) -> DigestRecord | None:
        """The last publication of this unit's digest of this period, if any."""
        found = (
            await self._session.execute(
                _with_unit_code()
                .where(OrgUnitRow.code == unit_code, DigestRow.period_label == period_label)
                .order_by(DigestRow.published_at.desc(), DigestRow.id.desc())
                .limit(1)
            )
        ).first()
        return None if found is None else found[0].to_domain(found[1])

    async def audience(self, unit_codes: Collection[str] | None) -> Sequence[ChatBinding]:
        """The active building and enterprise groups bound to one of ``unit_codes`` (None:
        to any unit), by chat id; never a workers' group."""
        query = (
            select(ChatBindingRow, OrgUnitRow.code)
            .join(OrgUnitRow, ChatBindingRow.unit_id == OrgUnitRow.id)
            .where(
                ChatBindingRow.active.is_(True),
                ChatBindingRow.kind != str(BindingKind.WORKER_GROUP),
            )
            .order_by(ChatBindingRow.chat_id)
        )
        if unit_codes is not None:
            query = query.where(OrgUnitRow.code.in_(sorted(unit_codes)))
        return [row.to_domain(code) for row, code in await self._session.execute(query)]

    async def resolved_examples(
        self, grids: Collection[str] | None, start: datetime, end: datetime, limit: int
    ) -> Sequence[tuple[str, str]]:
        """(category code, text) of public issues and hazards on ``grids`` (None: all)
        received in [start, end) and resolved since, the latest resolved first."""
        query = (
            select(CaseRow.category_code, CaseRow.text)
            .where(
                CaseRow.kind.in_(_KINDS),
                CaseRow.public.is_(True),
                CaseRow.created_at >= start,
                CaseRow.created_at < end,
                CaseRow.resolved_at.is_not(None),
            )
            .order_by(CaseRow.resolved_at.desc(), CaseRow.id.desc())
            .limit(limit)
        )
        if grids is not None:
            query = query.where(CaseRow.grid_code.in_(sorted(grids)))
        return [(str(code), str(text)) for code, text in await self._session.execute(query)]
