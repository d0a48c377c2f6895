"""The org tree of a district, held in memory by each bot process.

Units change only when the org file is imported, yet routing and permissions read the tree
around nearly every update. The process keeps the whole tree (a district is some 1,300
units) with the revision it was read at; the stored revision moves whenever a unit is saved,
by this process or another, and a reader that sees a newer one reads the tree again.
"""

from __future__ import annotations

from gridbot.domain.orgtree import OrgTree
from gridbot.services.ports import UnitOfWork


class OrgCache:
    def __init__(self) -> None:
        self._tree: OrgTree | None = None
        self._revision = -1

    async def tree(self, uow: UnitOfWork, revision: int | None = None) -> OrgTree:
        """The whole tree at the stored revision (read in ``uow`` if not given)."""
        if revision is None:
            revision = await uow.org.revision()
        if self._tree is None or revision != self._revision:
            # Read first, then note the revision it was read at: a save in between moves
            # the stored revision past this one, and the next reader reads again.
            self._tree = OrgTree(await uow.org.list_units())
            self._revision = revision
        return self._tree
