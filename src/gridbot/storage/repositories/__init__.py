"""Repositories, one module per aggregate. They flush but never commit."""

from gridbot.storage.repositories.bindings import SqlBindingRepository
from gridbot.storage.repositories.care import SqlCareRepository
from gridbot.storage.repositories.cases import SqlCaseRepository
from gridbot.storage.repositories.categories import SqlCategoryRepository
from gridbot.storage.repositories.due import SqlDueRepository
from gridbot.storage.repositories.leases import SqlLeaseRepository
from gridbot.storage.repositories.org import SqlOrgRepository
from gridbot.storage.repositories.outbox import SqlOutboxRepository
from gridbot.storage.repositories.patrols import SqlPatrolRepository
from gridbot.storage.repositories.people import SqlPersonRepository

__all__ = [
    "SqlBindingRepository",
    "SqlCareRepository",
    "SqlCaseRepository",
    "SqlCategoryRepository",
    "SqlDueRepository",
    "SqlLeaseRepository",
    "SqlOrgRepository",
    "SqlOutboxRepository",
    "SqlPatrolRepository",
    "SqlPersonRepository",
]
