"""Repositories, one module per aggregate. They flush but never commit."""

from gridbot.storage.repositories.bindings import SqlBindingRepository
from gridbot.storage.repositories.care import SqlCareRepository
from gridbot.storage.repositories.cases import SqlCaseRepository
from gridbot.storage.repositories.categories import SqlCategoryRepository
from gridbot.storage.repositories.conversations import SqlConversationRepository
from gridbot.storage.repositories.digests import SqlDigestRepository
from gridbot.storage.repositories.due import SqlDueRepository
from gridbot.storage.repositories.exports import SqlExportRepository
from gridbot.storage.repositories.invites import SqlInviteRepository
from gridbot.storage.repositories.leases import SqlLeaseRepository
from gridbot.storage.repositories.org import SqlOrgRepository
from gridbot.storage.repositories.orgfile import SqlOrgFileRepository
from gridbot.storage.repositories.outbox import SqlOutboxRepository
from gridbot.storage.repositories.overdue import SqlOverdueRepository
from gridbot.storage.repositories.patrols import SqlPatrolRepository
from gridbot.storage.repositories.people import SqlPersonRepository
from gridbot.storage.repositories.ranking import SqlRankingRepository
from gridbot.storage.repositories.retention import SqlRetentionRepository
from gridbot.storage.repositories.stats import SqlStatsRepository

__all__ = [
    "SqlBindingRepository",
    "SqlCareRepository",
    "SqlCaseRepository",
    "SqlCategoryRepository",
    "SqlConversationRepository",
    "SqlDigestRepository",
    "SqlDueRepository",
    "SqlExportRepository",
    "SqlInviteRepository",
    "SqlLeaseRepository",
    "SqlOrgFileRepository",
    "SqlOrgRepository",
    "SqlOutboxRepository",
    "SqlOverdueRepository",
    "SqlPatrolRepository",
    "SqlPersonRepository",
    "SqlRankingRepository",
    "SqlRetentionRepository",
    "SqlStatsRepository",
]
