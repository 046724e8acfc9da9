from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investdesk.db import Base
from investdesk.models.base import Timestamps, enum_type
from investdesk.models.enums import OrgKind
from investdesk.models.sector import Sector, sector_link

if TYPE_CHECKING:
    from investdesk.models.person import Person

organization_sectors = sector_link("organization_sectors", "organization_id", "organizations")
# The organizations of some sectors (matchmaking's candidates and sectors in common) found from the sector.
Index("ix_organization_sectors_sector_organization", organization_sectors.c.sector_id,
      organization_sectors.c.organization_id)


class Organization(Timestamps, Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    normalized_name: Mapped[str] = mapped_column(String(300), index=True, default="")
    acronym: Mapped[str | None] = mapped_column(String(40), index=True)
    kind: Mapped[OrgKind] = mapped_column(enum_type(OrgKind, "org_kind"), default=OrgKind.other)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(300))
    # The name as written in Devanagari ("टनाका इलेक्ट्रिक"), found by search in either script.
    name_hi: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    aliases: Mapped[list[OrganizationAlias]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", lazy="raise", order_by="OrganizationAlias.id")
    sectors: Mapped[list[Sector]] = relationship(secondary=organization_sectors, lazy="raise", order_by="Sector.id")
    people: Mapped[list[Person]] = relationship(back_populates="organization", lazy="raise")

    __mapper_args__ = {"version_id_col": version}


class OrganizationAlias(Base):
    """Another name the organization goes by ("KPIA", "Kia"), kept for entity resolution."""

    __tablename__ = "organization_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    normalized: Mapped[str] = mapped_column(String(300), index=True)

    organization: Mapped[Organization] = relationship(back_populates="aliases", lazy="raise")
