"""Telegram groups bound to org units: building groups, enterprise groups, worker groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class BindingKind(StrEnum):
    BUILDING = "building"  # 楼栋群
    ENTERPRISE = "enterprise"  # 企业群
    WORKER_GROUP = "worker_group"  # 网格工作群


@dataclass
class ChatBinding:
    """A group chat bound to a unit; reports started there land on that unit's grid."""

    chat_id: int
    unit_code: str
    kind: BindingKind
    bound_at: datetime
    title: str | None = None
    bound_by: int | None = None  # the person who bound it
    active: bool = True
    greeted_at: datetime | None = None  # last welcome to new members
    id: int | None = None
