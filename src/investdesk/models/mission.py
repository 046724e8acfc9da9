from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investdesk.db import Base
from investdesk.models.base import Timestamps
from investdesk.models.organization import Organization
from investdesk.models.person import Person

mission_delegates = Table(
    "mission_delegates",
    Base.metadata,
    Column("mission_id", ForeignKey("missions.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
)


class Mission(Timestamps, Base):
    """A delegation or roadshow: the home agency's trip to one or more countries."""

    __tablename__ = "missions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    home_jurisdiction: Mapped[str | None] = mapped_column(String(120))
    home_agency_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    countries: Mapped[list[str]] = mapped_column(default=list)
    cities: Mapped[list[str]] = mapped_column(default=list)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    home_agency: Mapped[Organization | None] = relationship(lazy="raise")
    delegates: Mapped[list[Person]] = relationship(secondary=mission_delegates, lazy="raise", order_by="Person.id")

    __mapper_args__ = {"version_id_col": version}
