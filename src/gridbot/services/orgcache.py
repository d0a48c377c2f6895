"""The organisation (units and categories, as the org file set them), held in memory by
each bot process.

They change only when the org file is imported, yet nearly every update reads them:
routing and permissions walk the unit tree, and reports, cards and notices name their
category. The process keeps the whole tree (a district is some 1,300 units) and every
category with the revision it read them at; the stored revision moves whenever a unit or a
category is saved, by this process or another, and a reader that sees a newer one reads
them again. The actor of an update comes with the revision read in the same query, so an
update whose organisation has not changed reads nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridbot.domain.org import Category
from gridbot.domain.orgtree import OrgTree
from gridbot.domain.wishes import is_report_category
from gridbot.services.ports import UnitOfWork


@dataclass(frozen=True)
class Organisation:
    """The unit tree and the categories at one revision."""

    revision: int
    tree: OrgTree
    categories: tuple[Category, ...] = ()  # in the order of the org file

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    @property
    def report_categories(self) -> tuple[Category, ...]:
        """What a report or a patrol hazard may be filed under."""
        return tuple(c for c in self.categories if is_report_category(c))


class OrgCache:
    def __init__(self) -> None:
        self._current: Organisation | None = None

    async def current(self, uow: UnitOfWork, revision: int | None = None) -> Organisation:
        """The organisation at the stored revision (read in ``uow`` unless given)."""
        if revision is None:
            revision = await uow.org.revision()
        held = self._current
        if held is None or held.revision != revision:
            # Read, then label with the revision seen before reading: a save in between
            # moves the stored revision past it, and the next reader reads again.
            tree = OrgTree(await uow.org.list_units(), whole=True)
            held = Organisation(revision, tree, tuple(await uow.categories.list_all()))
            self._current = held
        return held

    def forget(self) -> None:
        """Read again next time (this process changed the organisation itself)."""
        self._current = None
