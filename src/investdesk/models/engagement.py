from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investdesk.db import Base
from investdesk.models.base import Timestamps
from investdesk.models.mission import Mission
from investdesk.models.organization import Organization
from investdesk.models.person import Person
from investdesk.models.sector import Sector, sector_link

engagement_counterparts = Table(
    "engagement_counterparts",
    Base.metadata,
    Column("engagement_id", ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True),
)
engagement_participants = Table(
    "engagement_participants",
    Base.metadata,
    Column("engagement_id", ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True),
)
engagement_sectors = sector_link("engagement_sectors", "engagement_id", "engagements")


class Engagement(Timestamps, Base):
    """One meeting, visit or interaction with one or more counterpart organizations."""

    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("missions.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    date: Mapped[date | None] = mapped_column(Date, index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    venue: Mapped[str | None] = mapped_column(String(300))
    topics: Mapped[list[str]] = mapped_column(default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    evidence: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    mission: Mapped[Mission | None] = relationship(lazy="raise")
    counterparts: Mapped[list[Organization]] = relationship(
        secondary=engagement_counterparts, lazy="raise", order_by="Organization.id")
    participants: Mapped[list[Person]] = relationship(
        secondary=engagement_participants, lazy="raise", order_by="Person.id")
    sectors: Mapped[list[Sector]] = relationship(secondary=engagement_sectors, lazy="raise", order_by="Sector.id")

    __mapper_args__ = {"version_id_col": version}
