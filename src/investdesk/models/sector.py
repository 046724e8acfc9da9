from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from investdesk.db import Base


class Sector(Base):
    """A sector id from the shipped sector list (``sectors.tsv``)."""

    __tablename__ = "sectors"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    covers: Mapped[str] = mapped_column(Text, default="")


def sector_link(table: str, owner: str, owner_table: str) -> Table:
    """Many-to-many link between a record and sectors."""
    return Table(
        table,
        Base.metadata,
        Column(owner, ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        Column("sector_id", ForeignKey("sectors.id"), primary_key=True),
    )
