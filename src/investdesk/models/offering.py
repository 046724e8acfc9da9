from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from investdesk.db import Base
from investdesk.models.base import Timestamps, enum_type
from investdesk.models.enums import OfferingKind


class Offering(Timestamps, Base):
    """What the state offers investors: a park, cluster, corridor, incubator, fund."""

    __tablename__ = "offerings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[OfferingKind] = mapped_column(enum_type(OfferingKind, "offering_kind"), default=OfferingKind.other)
    district: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))


class Policy(Timestamps, Base):
    """A named incentive policy, scheme or programme."""

    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    year: Mapped[int | None] = mapped_column()
    description: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
