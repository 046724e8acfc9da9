from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investdesk.db import Base, utcnow
from investdesk.models.base import Timestamps, enum_type
from investdesk.models.enums import BlockerCategory, EscalationLevel, MouStatus
from investdesk.models.organization import Organization
from investdesk.models.pipeline import AmountColumns

mou_parties = Table(
    "mou_parties",
    Base.metadata,
    Column("mou_id", ForeignKey("mous.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Mou(Timestamps, AmountColumns, Base):
    """A memorandum of understanding between the state and an investor."""

    __tablename__ = "mous"
    # The pending MoUs by district and the conversion by sector are read from these indexes alone; they serve
    # every look-up by district or by sector too (no index of their own: one less to write per MoU).
    __table_args__ = (
        Index("ix_mous_district_status_updated_amount", "district", "status", "status_updated_at", "amount_inr_crore"),
        Index("ix_mous_sector_status_amount", "sector_id", "status", "amount_inr_crore"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id", ondelete="SET NULL"), index=True)
    signed_date: Mapped[date | None] = mapped_column(Date, index=True)
    jobs: Mapped[int | None] = mapped_column(Integer)
    sector_id: Mapped[str | None] = mapped_column(ForeignKey("sectors.id"))
    district: Mapped[str | None] = mapped_column(String(120))
    department: Mapped[str | None] = mapped_column(String(200), index=True)
    nodal_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    account_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    assignment_overridden: Mapped[bool] = mapped_column(default=False)
    status: Mapped[MouStatus] = mapped_column(enum_type(MouStatus, "mou_status"), default=MouStatus.signed, index=True)
    status_updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    parties: Mapped[list[Organization]] = relationship(secondary=mou_parties, lazy="raise", order_by="Organization.id")
    history: Mapped[list[MouStatusChange]] = relationship(
        back_populates="mou", cascade="all, delete-orphan", lazy="raise", order_by="MouStatusChange.id")
    blockers: Mapped[list[Blocker]] = relationship(
        back_populates="mou", cascade="all, delete-orphan", lazy="raise", order_by="Blocker.id")

    __mapper_args__ = {"version_id_col": version}


class MouStatusChange(Base):
    __tablename__ = "mou_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[MouStatus | None] = mapped_column(enum_type(MouStatus, "from_status"))
    to_status: Mapped[MouStatus] = mapped_column(enum_type(MouStatus, "to_status"))
    note: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    mou: Mapped[Mou] = relationship(back_populates="history", lazy="raise")


class Blocker(Timestamps, Base):
    """What holds an MoU's project back, and the department that must act."""

    __tablename__ = "blockers"

    id: Mapped[int] = mapped_column(primary_key=True)
    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id", ondelete="CASCADE"), index=True)
    category: Mapped[BlockerCategory] = mapped_column(enum_type(BlockerCategory, "blocker_category"), index=True)
    department: Mapped[str | None] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    raised_on: Mapped[date] = mapped_column(Date, index=True)
    resolved_on: Mapped[date | None] = mapped_column(Date, index=True)
    escalation_level: Mapped[EscalationLevel] = mapped_column(
        enum_type(EscalationLevel, "escalation_level"), default=EscalationLevel.officer)
    escalated_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    mou: Mapped[Mou] = relationship(back_populates="blockers", lazy="raise")


class FollowUp(Timestamps, Base):
    """A next step on any record, with an owner and a due date."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notes: Mapped[str] = mapped_column(Text, default="")
