from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investdesk.db import Base, utcnow
from investdesk.models.base import enum_type
from investdesk.models.enums import ItemState, ReviewState


class Document(Base):
    """An engagement document, stored once by the sha256 of its original bytes."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100), default="text/plain")
    size: Mapped[int] = mapped_column(Integer, default=0)
    stored_path: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    # Some of the text was read by OCR from a scan or a photograph: the review page says so.
    ocr: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The text was longer than the readers keep and was cut (the original file is stored whole).
    text_truncated: Mapped[bool] = mapped_column(default=False, server_default=false())
    extraction: Mapped[dict[str, Any] | None] = mapped_column()
    review_state: Mapped[ReviewState] = mapped_column(
        enum_type(ReviewState, "review_state"), default=ReviewState.pending, index=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    ingested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    items: Mapped[list[ExtractedItem]] = relationship(
        back_populates="document", cascade="all, delete-orphan", lazy="raise", order_by="ExtractedItem.id")


class ExtractedItem(Base):
    """One extracted item of a document awaiting a person's decision."""

    __tablename__ = "extracted_items"
    __table_args__ = (UniqueConstraint("document_id", "field", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column()
    state: Mapped[ItemState] = mapped_column(enum_type(ItemState, "item_state"), default=ItemState.pending)
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)
    record_type: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[int | None] = mapped_column(Integer)

    document: Mapped[Document] = relationship(back_populates="items", lazy="raise")


class Evidence(Base):
    """Links a record to the document sentence it was read from (character span)."""

    __tablename__ = "evidence"
    # Documents that mention each organization (matchmaking) counted from the index, not the table's rows.
    __table_args__ = (Index("ix_evidence_entity_document", "entity_type", "entity_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text, default="")
