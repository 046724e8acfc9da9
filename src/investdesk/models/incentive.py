from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from investdesk.db import Base, utcnow


class IncentivePolicyVersion(Base):
    """A policy as edited in the app: its whole YAML text, in force from ``effective_from``.

    The shipped (or configured) policy file is the version in force before the first edit; the calculator
    reads, for each policy, the latest version whose effective date has come."""

    __tablename__ = "incentive_policy_versions"
    __table_args__ = (UniqueConstraint("policy_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(60), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
