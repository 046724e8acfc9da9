from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from investdesk.models.enums import MouStatus
from investdesk.pipeline.schemas import AmountIn


class MouCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    party_ids: list[int] = Field(default_factory=list, description="Investor organizations that signed.")
    opportunity_id: int | None = Field(default=None, description="The lead the MoU came from.")
    signed_date: dt.date | None = None
    amount: AmountIn | None = Field(default=None, description="Proposed investment as written.")
    jobs: int | None = Field(default=None, ge=0, le=10_000_000, description="Proposed employment.")
    sector: str | None = Field(default=None, description="Sector id or name.")
    district: str | None = Field(default=None, description="District of the project (from the district list).")
    department: str | None = Field(default=None, max_length=200, description="Administrative department.")
    nodal_officer_id: int | None = Field(default=None, description="Overrides the district's nodal officer.")
    account_manager_id: int | None = Field(default=None, description="Overrides the assigned account manager.")
    notes: str = Field(default="", max_length=20000)


class MouUpdate(BaseModel):
    """The fields to change; those left out stay as they are. Naming a nodal officer or an account manager
    overrides the assignment by size; the status moves through ``update_status`` only."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1, max_length=300)
    reference: str | None = Field(default=None, max_length=80)
    party_ids: list[int] | None = Field(default=None, description="Replaces the parties.")
    signed_date: dt.date | None = None
    amount: AmountIn | None = None
    jobs: int | None = Field(default=None, ge=0, le=10_000_000)
    sector: str | None = Field(default=None, description="Sector id or name.")
    district: str | None = None
    department: str | None = Field(default=None, max_length=200)
    nodal_officer_id: int | None = None
    account_manager_id: int | None = None
    notes: str | None = Field(default=None, max_length=20000)
    version: int | None = Field(default=None, description="The version you read; a newer one is a conflict. "
                                "Required unless force is true.")
    force: bool = Field(default=False, description="Overwrite without a version (noted in the audit trail).")


class StatusUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: MouStatus = Field(description="Implementation status.")
    note: str | None = Field(default=None, max_length=5000, description="What happened; kept in the history.")
    version: int | None = Field(default=None, description="The version you read; a newer one is a conflict. "
                                "Required unless force is true.")
    force: bool = Field(default=False, description="Overwrite without a version (noted in the audit trail).")


class MouFilter(BaseModel):
    q: str | None = None
    status: MouStatus | None = None
    district: str | None = None
    department: str | None = None
    sector: str | None = None
    pending: bool = Field(default=False, description="Only MoUs with no status update for the pending period.")


class MouRead(BaseModel):
    id: int
    title: str
    parties: list[str]
    opportunity_id: int | None
    signed_date: dt.date | None
    amount: AmountIn | None
    amount_inr_crore: float | None
    jobs: int | None
    sector: str | None
    district: str | None
    department: str | None
    nodal_officer_id: int | None
    account_manager_id: int | None
    status: MouStatus
    status_updated_at: dt.datetime
    pending: bool
    version: int
    history: list[dict[str, object]]
    blockers: list[dict[str, object]]
