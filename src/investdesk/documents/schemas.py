from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from investdesk.models.enums import ItemState, ReviewState


class ItemRead(BaseModel):
    id: int
    field: str = Field(description="organizations, people, delegates, mission, engagements, opportunities...")
    position: int
    label: str
    payload: dict[str, Any]
    state: ItemState
    evidence_start: int | None = Field(description="Character offset of the evidence sentence in the text.")
    evidence_end: int | None
    record_type: str | None = Field(description="The record the item became, once accepted.")
    record_id: int | None


class DocumentRead(BaseModel):
    id: int
    sha256: str
    filename: str
    source: str | None
    media_type: str
    size: int
    title: str | None
    published: str | None
    review_state: ReviewState
    ocr: bool = Field(False, description="Some of the text was read by OCR from a scan or a photograph.")
    text_truncated: bool = Field(False, description="The text was cut at the readers' limit (2,000,000 characters).")
    ingested_at: datetime
    reviewed_at: datetime | None
    items_pending: int
    items_total: int


class DocumentDetail(DocumentRead):
    text: str
    extraction: dict[str, Any] | None
    items: list[ItemRead]


class UploadResult(BaseModel):
    created: bool = Field(description="False when a document with the same bytes was already stored.")
    message: str
    document: DocumentRead


class ItemEdit(BaseModel):
    """Fields of the item to change before it is accepted (the rest are kept as extracted)."""

    model_config = ConfigDict(extra="forbid")

    payload: dict[str, Any] = Field(default_factory=dict,
                                    description='e.g. {"name": "Kansai Pharmaceutical Industries Association"}')
    merge_into: int | None = Field(default=None, ge=0, le=2**31 - 1,
                                   description="The existing record to merge the item into instead of the one it "
                                               "resolves to; 0 for a new record.")


class ReviewResult(BaseModel):
    document: DocumentRead
    accepted: int = 0
    rejected: int = 0
    left_pending: int = 0
