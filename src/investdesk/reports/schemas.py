from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from investdesk.models.enums import OpportunityStage


class PipelineDimension(StrEnum):
    sector = "sector"
    country = "country"
    district = "district"


class PendingDimension(StrEnum):
    district = "district"
    nodal_officer = "nodal_officer"


class BlockerDimension(StrEnum):
    category = "category"
    department = "department"
    level = "level"
    age = "age"


class ConversionDimension(StrEnum):
    year = "year"
    sector = "sector"


class FunnelRow(BaseModel):
    stage: OpportunityStage
    count: int = Field(description="Leads now at this stage.")
    reached: int | None = Field(description="Leads at this stage or further along the main line (null off it).")
    value_inr_crore: float


class GroupTotal(BaseModel):
    key: str | None = Field(description="The group's id (sector id, ISO country, district...); null: not given.")
    label: str
    count: int
    value_inr_crore: float = 0.0


class PipelineGroup(GroupTotal):
    stages: dict[OpportunityStage, int] = Field(default_factory=dict, description="Leads at each stage.")


class ConversionRow(BaseModel):
    key: str | None
    label: str
    signed: int = Field(description="MoUs signed.")
    grounded: int = Field(description="Of those, the ones under construction or in commercial operation.")
    rate: float = Field(description="grounded / signed, 0 to 1.")
    value_signed_inr_crore: float
    value_grounded_inr_crore: float


class MouHeadline(BaseModel):
    count: int = Field(description="MoUs the reader may see.")
    value_inr_crore: float
    operating: int = Field(description="Of them, in commercial operation.")
