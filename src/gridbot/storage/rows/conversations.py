"""Conversation state (a chat's step and draft) of the bot's conversations, kept in the
database so that a restart does not lose it. Keyed as aiogram keys its storage; the parts
of the key it leaves out are stored as 0 (no topic thread) and '' (no business connection),
since a primary key has no NULLs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gridbot.storage.base import Base, UTCDateTime


class ConversationRow(Base):
    __tablename__ = "fsm_states"
    # Stale conversations are deleted by age.
    __table_args__ = (Index("ix_fsm_states_updated_at", "updated_at"),)

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    thread_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    business_connection_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    destiny: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    # JSON text, serialised before the write begins (NULL: no data).
    data: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
