"""Investor enquiries: what logging and answering one take, and what reading one gives."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from investdesk.models.enums import OpportunityStage
from investdesk.pipeline.schemas import AmountIn


class EnquiryCreate(BaseModel):
    """An investor's enquiry: a lead at stage ``identified`` with a clock for the first response."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300, description="What the investor asks about.")
    counterpart_id: int | None = Field(default=None, description="The enquiring organization.")
    sectors: list[str] = Field(default_factory=list, description="Sector ids or names.")
    amount: AmountIn | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2, description="Investor's country (ISO).")
    district: str | None = None
    owner_id: int | None = Field(default=None, description="The user who must answer.")
    received_at: dt.datetime | None = Field(default=None, description="When it arrived; defaults to now.")
    notes: str = Field(default="", max_length=20000)


class EnquiryResponse(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    note: str | None = Field(default=None, max_length=5000, description="What was answered; added to the notes.")
    responded_at: dt.datetime | None = Field(default=None, description="Defaults to now.")


class EnquiryRead(BaseModel):
    id: int
    title: str
    counterpart: str | None
    stage: OpportunityStage
    owner_id: int | None
    received_at: dt.datetime
    first_response_due: dt.datetime
    first_responded_at: dt.datetime | None
    overdue: bool = Field(description="Unanswered past the first-response due time.")
