from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investdesk.db import Base, utcnow
from investdesk.models.base import Timestamps, enum_type
from investdesk.models.enums import OpportunityKind, OpportunityStage
from investdesk.models.organization import Organization
from investdesk.models.sector import Sector, sector_link

opportunity_sectors = sector_link("opportunity_sectors", "opportunity_id", "opportunities")


class AmountColumns:
    """An amount as written (value, currency, unit) plus its normalised figures for sums."""

    amount_value: Mapped[float | None] = mapped_column(Numeric(20, 4))
    amount_currency: Mapped[str | None] = mapped_column(String(3))
    amount_unit: Mapped[str | None] = mapped_column(String(16))
    amount_inr_crore: Mapped[float | None] = mapped_column(Float, index=True)
    amount_usd_million: Mapped[float | None] = mapped_column(Float)


class Opportunity(Timestamps, AmountColumns, Base):
    """A lead: an investment or partnership prospect with a counterpart."""

    __tablename__ = "opportunities"
    # Stage counts and values (funnel, board) are read from this index alone, not from 100,000 table rows;
    # the pipeline by country and by district likewise from theirs (reports.service.pipeline_by).
    __table_args__ = (Index("ix_opportunities_stage_amount", "stage", "amount_inr_crore"),
                      Index("ix_opportunities_country_stage_amount", "country", "stage", "amount_inr_crore"),
                      Index("ix_opportunities_district_stage_amount", "district", "stage", "amount_inr_crore"),
                      # Open leads per organization (matchmaking) counted from the index, not the table's rows.
                      Index("ix_opportunities_counterpart_stage", "counterpart_id", "stage"))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    counterpart_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    kind: Mapped[OpportunityKind] = mapped_column(
        enum_type(OpportunityKind, "opportunity_kind"), default=OpportunityKind.investment)
    stage: Mapped[OpportunityStage] = mapped_column(
        enum_type(OpportunityStage, "opportunity_stage"), default=OpportunityStage.identified, index=True)
    stage_reason: Mapped[str | None] = mapped_column(Text)
    stage_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    jobs: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    district: Mapped[str | None] = mapped_column(String(120), index=True)
    location: Mapped[str | None] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    next_action: Mapped[str | None] = mapped_column(Text)
    next_action_due: Mapped[date | None] = mapped_column(Date, index=True)
    source_engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagements.id", ondelete="SET NULL"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    is_enquiry: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_response_due: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    first_responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    counterpart: Mapped[Organization | None] = relationship(lazy="raise")
    sectors: Mapped[list[Sector]] = relationship(secondary=opportunity_sectors, lazy="raise", order_by="Sector.id")
    history: Mapped[list[OpportunityStageChange]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", lazy="raise",
        order_by="OpportunityStageChange.id")

    __mapper_args__ = {"version_id_col": version}


class OpportunityStageChange(Base):
    __tablename__ = "opportunity_stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[OpportunityStage | None] = mapped_column(enum_type(OpportunityStage, "from_stage"))
    to_stage: Mapped[OpportunityStage] = mapped_column(enum_type(OpportunityStage, "to_stage"))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    opportunity: Mapped[Opportunity] = relationship(back_populates="history", lazy="raise")


class LeadOwnerDefault(Base):
    """Who owns a new lead of a sector, a country, or both, when no one in particular does (set by a manager).

    A lead accepted from a document goes to the most specific default that matches (sector and country, then
    sector, then country), else to the person who accepted it."""

    __tablename__ = "lead_owner_defaults"
    __table_args__ = (UniqueConstraint("sector_id", "country"),
                      CheckConstraint("sector_id IS NOT NULL OR country IS NOT NULL", name="sector_or_country"))

    id: Mapped[int] = mapped_column(primary_key=True)
    sector_id: Mapped[str | None] = mapped_column(ForeignKey("sectors.id"))
    country: Mapped[str | None] = mapped_column(String(2))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
