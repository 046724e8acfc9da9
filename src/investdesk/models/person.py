from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investdesk.db import Base
from investdesk.models.base import Timestamps, enum_type
from investdesk.models.enums import Side
from investdesk.models.organization import Organization


class Person(Timestamps, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    normalized_name: Mapped[str] = mapped_column(String(200), index=True, default="")
    honorific: Mapped[str | None] = mapped_column(String(60))
    name_hi: Mapped[str | None] = mapped_column(String(200))  # the name in Devanagari, for search
    titles: Mapped[list[str]] = mapped_column(default=list)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    side: Mapped[Side] = mapped_column(enum_type(Side, "person_side"), default=Side.mentioned)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    organization: Mapped[Organization | None] = relationship(back_populates="people", lazy="raise")

    __mapper_args__ = {"version_id_col": version}
