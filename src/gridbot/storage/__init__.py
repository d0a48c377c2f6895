"""Storage: SQLAlchemy rows, repositories, the unit of work and Alembic migrations."""

from gridbot.storage.database import Database
from gridbot.storage.uow import SqlUnitOfWork

__all__ = ["Database", "SqlUnitOfWork"]
